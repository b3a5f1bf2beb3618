package org.ser4j.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.split.DataSpec;
import org.ser4j.util.Json;

/**
 * Where a model or report came from, stamped on every one (as Tribuo's models carry theirs): the
 * command, the training data (file and a fingerprint of its pairs), the split seed and labeled
 * fraction, how many pairs it trained on, the SER loop (-1 outside a loop), the settings that
 * produced it, the library versions, and when.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@RecordBuilder
public record Provenance(
    @JsonProperty("command") String command,
    @JsonProperty("data_file") String dataFile,
    @JsonProperty("data_fingerprint") String dataFingerprint,
    @JsonProperty("seed") long seed,
    @JsonProperty("labeled_fraction") double labeledFraction,
    @JsonProperty("train_pairs") int trainPairs,
    @JsonProperty("loop") int loop,
    @JsonProperty("config") JsonNode config,
    @JsonProperty("versions") Map<String, String> versions,
    @JsonProperty("created") String created)
    implements ProvenanceBuilder.With {
  private static final Map<String, String> VERSIONS = readVersions();

  /** An unknown origin (a model saved before provenance was typed, or built by hand). */
  public static final Provenance UNKNOWN =
      new Provenance("unknown", null, null, 0, 0, 0, -1, null, Map.of(), null);

  public Provenance {
    config =
        config == null || config.isNull() ? null : config; // JSON null reads back as a NullNode
    versions = versions == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(versions));
  }

  /**
   * A run's provenance: the training data of {@code spec} (the labeled files, for your own data)
   * with the fingerprint of its {@code labeled} pairs, the split seed and labeled fraction; {@code
   * settings} as in {@link #of}.
   */
  public static Provenance forRun(
      String command, DataSpec spec, List<PreferencePair> labeled, Object settings) {
    return of(
        command,
        spec.ownData()
            ? String.join(",", spec.labeled().stream().map(Object::toString).toList())
            : spec.train().toString(),
        PreferencePair.fingerprint(labeled),
        spec.seed(),
        spec.labeledFraction(),
        labeled.size(),
        -1,
        settings);
  }

  /**
   * Stamped now, with this build's library versions; {@code config} is any settings object (records
   * become JSON with their fields in declaration order).
   */
  public static Provenance of(
      String command,
      String dataFile,
      String dataFingerprint,
      long seed,
      double labeledFraction,
      int trainPairs,
      int loop,
      Object config) {
    JsonNode settings;
    try {
      // Through text, so the numbers are the node types a reader sees (an int, not a long, for 42).
      settings =
          config == null
              ? null
              : Json.CANONICAL.readTree(Json.CANONICAL.writeValueAsString(config));
    } catch (IOException e) {
      throw new IllegalArgumentException("settings that are not JSON: " + config, e);
    }
    return new Provenance(
        command,
        dataFile,
        dataFingerprint,
        seed,
        labeledFraction,
        trainPairs,
        loop,
        settings,
        VERSIONS,
        Instant.now().toString());
  }

  /** The same origin for another SER loop, trained on {@code pairs} pairs. */
  public Provenance forLoop(int newLoop, int pairs) {
    return withLoop(newLoop).withTrainPairs(pairs).withCreated(Instant.now().toString());
  }

  /** The versions of SER4J and its numeric libraries in this build. */
  public static Map<String, String> libraryVersions() {
    return VERSIONS;
  }

  private static Map<String, String> readVersions() {
    Properties p = new Properties();
    try (InputStream in = Provenance.class.getResourceAsStream("/org/ser4j/versions.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // Versions are informative; a build without the resource still trains.
    }
    Map<String, String> out = new TreeMap<>();
    p.forEach((k, v) -> out.put(k.toString(), v.toString()));
    out.put("java_runtime", System.getProperty("java.version"));
    return out;
  }
}
