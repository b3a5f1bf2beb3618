package org.ser4j.ser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.data.split.DataSpec;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.model.finetune.FineTuneConfig;
import org.ser4j.util.Json;

/**
 * What a run was asked to do, as its run.json holds it: its data, its encoder (with the weights'
 * fingerprint), its SER settings, and, when the encoder learns, the fine-tuning settings and the
 * encoder's attention heads. A resumed run reads every setting back from here.
 *
 * @param finetune null when the encoder is frozen
 * @param encoderChoice how `--encoder auto` chose the encoder ({@link
 *     EncoderSearch.Choice#toJson}), or null when the user fixed it
 */
public record RunSettings(
    DataSpec data,
    EncoderConfig encoder,
    SerConfig ser,
    FineTuneConfig finetune,
    int heads,
    JsonNode encoderChoice) {

  /** Settings whose encoder the user fixed. */
  public RunSettings(
      DataSpec data, EncoderConfig encoder, SerConfig ser, FineTuneConfig finetune, int heads) {
    this(data, encoder, ser, finetune, heads, null);
  }

  /** What run.json records of an encoder {@code choice}: null when the user fixed the encoder. */
  public static JsonNode choiceJson(EncoderSearch.Choice choice) {
    return choice.searched() || choice.note() != null ? choice.toJson() : null;
  }

  /** These settings on other data (labels added to a run). */
  public RunSettings withData(DataSpec other) {
    return new RunSettings(other, encoder, ser, finetune, heads, encoderChoice);
  }

  /** run.json's tree. */
  public ObjectNode toJson() {
    ObjectNode run = Json.PRETTY.createObjectNode();
    run.set("data", dataJson(data));
    run.set("encoder", Json.PRETTY.valueToTree(encoder));
    run.set("ser", Json.PRETTY.valueToTree(ser));
    if (finetune != null) {
      run.set("finetune", Json.PRETTY.valueToTree(finetune));
      run.put("attention_heads", heads);
    }
    if (encoderChoice != null) {
      run.set("encoder_choice", encoderChoice);
    }
    return run;
  }

  /**
   * Reads run.json's tree back; {@code defaultHeads} for a frozen run, which records none. Settings
   * a run.json written before they existed take their defaults.
   */
  public static RunSettings of(JsonNode run, int defaultHeads) throws IOException {
    return new RunSettings(
        dataSpec(run.get("data")),
        Json.PRETTY.treeToValue(run.get("encoder"), EncoderConfig.class),
        Json.PRETTY.treeToValue(run.get("ser"), SerConfig.class),
        run.hasNonNull("finetune")
            ? Json.PRETTY.treeToValue(run.get("finetune"), FineTuneConfig.class)
            : null,
        run.path("attention_heads").asInt(defaultHeads),
        run.hasNonNull("encoder_choice") ? run.get("encoder_choice") : null);
  }

  private static ObjectNode dataJson(DataSpec spec) {
    ObjectNode n = Json.PRETTY.createObjectNode();
    if (spec.ownData()) {
      paths(n.putArray("labeled"), spec.labeled());
      n.put("unlabeled", spec.unlabeled() == null ? null : absolute(spec.unlabeled()));
      n.put("test", spec.test() == null ? null : absolute(spec.test()));
      paths(n.putArray("added_labels"), spec.addedLabels());
      n.put("seed", spec.seed());
      n.set("read", Json.PRETTY.valueToTree(spec.read()));
      return n;
    }
    n.put("train", absolute(spec.train()));
    n.put("test", spec.test() == null ? null : absolute(spec.test()));
    if (spec.testFraction() != null) {
      n.put("test_fraction", spec.testFraction());
    }
    n.put("labeled_fraction", spec.labeledFraction());
    n.put("seed", spec.seed());
    n.set("read", Json.PRETTY.valueToTree(spec.read()));
    return n;
  }

  private static String absolute(Path p) {
    return p.toAbsolutePath().toString();
  }

  private static void paths(com.fasterxml.jackson.databind.node.ArrayNode array, List<Path> paths) {
    paths.forEach(p -> array.add(absolute(p)));
  }

  private static List<Path> paths(JsonNode array) {
    List<Path> out = new ArrayList<>();
    array.forEach(p -> out.add(Path.of(p.asText())));
    return out;
  }

  private static DataSpec dataSpec(JsonNode d) throws IOException {
    ReadOptions read = Json.PRETTY.treeToValue(d.get("read"), ReadOptions.class);
    if (d.has("labeled")) {
      DataSpec spec =
          DataSpec.ownData(
              paths(d.get("labeled")),
              d.hasNonNull("unlabeled") ? Path.of(d.get("unlabeled").asText()) : null,
              d.hasNonNull("test") ? Path.of(d.get("test").asText()) : null,
              d.get("seed").asLong(),
              read);
      for (Path added : paths(d.path("added_labels"))) {
        spec = spec.withAddedLabels(added);
      }
      return spec;
    }
    return new DataSpec(
        Path.of(d.get("train").asText()),
        d.hasNonNull("test") ? Path.of(d.get("test").asText()) : null,
        d.has("test_fraction") ? d.get("test_fraction").asDouble() : null,
        d.get("labeled_fraction").asDouble(),
        d.get("seed").asLong(),
        Json.PRETTY.treeToValue(d.get("read"), ReadOptions.class));
  }
}
