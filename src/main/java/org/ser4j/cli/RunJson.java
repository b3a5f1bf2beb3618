package org.ser4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.ser4j.data.DataSpec;
import org.ser4j.data.ReadOptions;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.model.finetune.FineTuneConfig;
import org.ser4j.ser.SerConfig;
import org.ser4j.util.Json;

/** How a run's settings are written to run.json and read back to resume it. */
final class RunJson {
  // The learning encoder's settings live next to the frozen ones: see run(..., finetune, heads).

  private RunJson() {}

  /**
   * What a SER run's run.json holds: its data, its encoder (with the weights' fingerprint) and its
   * SER settings.
   */
  static ObjectNode run(DataSpec spec, EncoderConfig encoder, SerConfig ser) {
    return run(spec, encoder, ser, null, 0);
  }

  /**
   * With {@code finetune} non-null the encoder learns: its settings and the encoder's attention
   * heads are kept too.
   */
  static ObjectNode run(
      DataSpec spec, EncoderConfig encoder, SerConfig ser, FineTuneConfig finetune, int heads) {
    ObjectNode run = Json.PRETTY.createObjectNode();
    run.set("data", toJson(spec));
    run.set("encoder", Json.PRETTY.valueToTree(encoder));
    run.set("ser", Json.PRETTY.valueToTree(ser));
    if (finetune != null) {
      run.set("finetune", Json.PRETTY.valueToTree(finetune));
      run.put("attention_heads", heads);
    }
    return run;
  }

  /** The fine-tuning settings of a run, or null when its encoder was frozen. */
  static FineTuneConfig finetune(JsonNode run) throws java.io.IOException {
    return run.hasNonNull("finetune")
        ? Json.PRETTY.treeToValue(run.get("finetune"), FineTuneConfig.class)
        : null;
  }

  static EncoderConfig encoder(JsonNode run) throws java.io.IOException {
    return Json.PRETTY.treeToValue(run.get("encoder"), EncoderConfig.class);
  }

  static SerConfig ser(JsonNode run) throws java.io.IOException {
    return Json.PRETTY.treeToValue(run.get("ser"), SerConfig.class);
  }

  static ObjectNode toJson(DataSpec spec) {
    ObjectNode n = Json.PRETTY.createObjectNode();
    n.put("train", spec.train().toAbsolutePath().toString());
    n.put("test", spec.test() == null ? null : spec.test().toAbsolutePath().toString());
    if (spec.testFraction() != null) {
      n.put("test_fraction", spec.testFraction());
    }
    n.put("labeled_fraction", spec.labeledFraction());
    n.put("seed", spec.seed());
    n.set("read", Json.PRETTY.valueToTree(spec.read()));
    return n;
  }

  static DataSpec dataSpec(JsonNode run) throws java.io.IOException {
    JsonNode d = run.get("data");
    return new DataSpec(
        Path.of(d.get("train").asText()),
        d.hasNonNull("test") ? Path.of(d.get("test").asText()) : null,
        d.has("test_fraction") ? d.get("test_fraction").asDouble() : null,
        d.get("labeled_fraction").asDouble(),
        d.get("seed").asLong(),
        Json.PRETTY.treeToValue(d.get("read"), ReadOptions.class));
  }
}
