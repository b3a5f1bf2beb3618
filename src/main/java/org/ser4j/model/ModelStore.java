package org.ser4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.InputStrategy;
import org.ser4j.encoder.Pooling;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Json;

/**
 * A model directory, whatever the family: {@code model.safetensors} (the weights) and {@code
 * config.json} (format, encoder, family settings, reward scale, provenance), both written
 * atomically, the weights first, so a directory with a config always has its weights. Keys come out
 * in a fixed order, so identical models give identical weight files in any process.
 */
public final class ModelStore {
  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";

  /**
   * Sorted map keys: a map's key order never depends on the process (Map.of iterates in a per-JVM
   * order).
   */
  private static final Map<String, String> WEIGHTS_METADATA =
      new TreeMap<>(Map.of("format", "pt", "producer", "ser4j"));

  private ModelStore() {}

  /** The model in {@code dir}, of whichever family wrote it. */
  public static TrainedModel load(Path dir) throws IOException {
    JsonNode config = readConfig(dir);
    String format = config.path("format").asText();
    for (ModelFormat f : ServiceLoader.load(ModelFormat.class)) {
      if (f.name().equals(format)) {
        return f.load(dir, config);
      }
    }
    throw new IOException(
        dir.resolve(CONFIG) + ": field 'format': no model family reads \"" + format + "\"");
  }

  /** Fails early, before any data is read, when {@code dir} is no model directory. */
  public static void require(Path dir) throws IOException {
    if (!Files.isRegularFile(dir.resolve(CONFIG))) {
      throw new IOException(dir + ": not a model directory (no " + CONFIG + ")");
    }
  }

  /**
   * Writes a model: {@code tensors} to the weights file, then {@code config} completed with the
   * parts every family has.
   */
  public static void write(
      Path dir, String format, Map<String, Tensor> tensors, ObjectNode config, TrainedModel model)
      throws IOException {
    Files.createDirectories(dir);
    Safetensors.write(dir.resolve(WEIGHTS), tensors, WEIGHTS_METADATA);
    ObjectNode out = Json.CANONICAL.createObjectNode();
    out.put("format", format);
    out.put("version", 1);
    writeEncoder(out.putObject("encoder"), model.encoder());
    out.setAll(config);
    out.set("reward_scale", Json.CANONICAL.valueToTree(model.scale()));
    out.set("provenance", Json.CANONICAL.valueToTree(model.provenance()));
    AtomicFiles.writeString(dir.resolve(CONFIG), Json.CANONICAL.writeValueAsString(out) + "\n");
  }

  /** The parsed {@code config.json}, checked to be of {@code format}. */
  public static JsonNode readConfig(Path dir, String format) throws IOException {
    JsonNode config = readConfig(dir);
    if (!format.equals(config.path("format").asText())) {
      throw new IOException(
          dir.resolve(CONFIG)
              + ": field 'format': expected \""
              + format
              + "\", found \""
              + config.path("format").asText()
              + "\"");
    }
    return config;
  }

  private static JsonNode readConfig(Path dir) throws IOException {
    require(dir);
    return Json.CANONICAL.readTree(dir.resolve(CONFIG).toFile());
  }

  public static Map<String, Tensor> readWeights(Path dir) throws IOException {
    return Safetensors.read(dir.resolve(WEIGHTS));
  }

  public static EncoderConfig readEncoder(JsonNode config) {
    JsonNode enc = config.path("encoder");
    if (enc.has("views")) {
      List<EncoderConfig> views = new java.util.ArrayList<>();
      for (JsonNode v : enc.get("views")) {
        views.add(readEncoder(Json.CANONICAL.createObjectNode().set("encoder", v)));
      }
      return EncoderConfig.concat(views);
    }
    return new EncoderConfig(
        enc.path("name").asText(),
        enc.path("model").asText(),
        enc.path("tokenizer").asText(),
        Pooling.valueOf(enc.path("pooling").asText().toUpperCase(Locale.ROOT)),
        enc.path("max_length").asInt(),
        InputStrategy.fromName(enc.path("input_strategy").asText()),
        enc.path("fingerprint").asText());
  }

  public static RewardScale readScale(JsonNode config) throws IOException {
    return config.hasNonNull("reward_scale")
        ? Json.CANONICAL.treeToValue(config.get("reward_scale"), RewardScale.class)
        : RewardScale.NONE;
  }

  /**
   * The model's provenance; {@link Provenance#UNKNOWN} for directories written before it was typed.
   */
  public static Provenance readProvenance(JsonNode config) {
    JsonNode p = config.path("provenance");
    if (!p.has("command") || !p.has("versions")) {
      return Provenance.UNKNOWN;
    }
    try {
      return Json.CANONICAL.treeToValue(p, Provenance.class);
    } catch (IOException e) {
      return Provenance.UNKNOWN;
    }
  }

  private static void writeEncoder(ObjectNode enc, EncoderConfig e) {
    if (e.isConcat()) {
      enc.put("name", e.name());
      com.fasterxml.jackson.databind.node.ArrayNode views = enc.putArray("views");
      for (EncoderConfig v : e.views()) {
        writeEncoder(views.addObject(), v);
      }
      return;
    }
    enc.put("name", e.name());
    enc.put("model", e.model());
    enc.put("tokenizer", e.tokenizer());
    enc.put("pooling", e.pooling().name().toLowerCase(Locale.ROOT));
    enc.put("max_length", e.maxLength());
    enc.put("input_strategy", e.strategy().cliName());
    enc.put("fingerprint", e.fingerprint());
  }
}
