package org.ser4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.testing.TestEncoders;
import org.ser4j.util.Json;

/**
 * `--pool-transform pca`: the head trained on the mapped vectors is saved folded into an ordinary
 * linear head on the raw features, so `ser eval` reloads it and measures what training measured.
 */
class PoolTransformTest {
  @TempDir Path dir;

  @Test
  void aPcaModelIsSavedFoldedAndEvaluatesAsTrained() throws Exception {
    Path[] files = CliTest.hhSplit(dir, 200, 60);
    Path model = dir.resolve("model");
    CliTest.Result r =
        CliTest.run(
            "train",
            "--train",
            files[0].toString(),
            "--test",
            files[1].toString(),
            "--encoder",
            "bge-small-q",
            "--pool-transform",
            "pca",
            "--quiet",
            "--cache",
            TestEncoders.CACHE.toString(),
            "--out",
            model.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode config = Json.LINE.readTree(model.resolve("config.json").toFile());
    assertEquals(2 * 384, config.get("head").get("input_dim").asInt(), "folded onto raw features");
    assertEquals(
        "PCA", config.path("provenance").path("config").path("train").path("transform").asText());
    JsonNode metrics = Json.LINE.readTree(model.resolve("metrics.json").toFile());
    int kept = metrics.get("transformed_dimension").asInt();
    org.junit.jupiter.api.Assertions.assertTrue(
        kept > 0 && kept < 2 * 384, "PCA keeps fewer axes than the features have: " + kept);
    CliTest.Result eval =
        CliTest.run(
            "eval",
            "--model",
            model.toString(),
            "--test",
            files[1].toString(),
            "--quiet",
            "--cache",
            TestEncoders.CACHE.toString(),
            "--out",
            dir.resolve("eval").toString());
    assertEquals(0, eval.code(), eval.err());
    assertEquals(
        metrics.get("test_accuracy").asDouble(),
        Json.LINE
            .readTree(dir.resolve("eval").resolve("eval.json").toFile())
            .get("accuracy")
            .asDouble(),
        1e-12);
  }
}
