package org.ser4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.testing.SharedData;
import org.ser4j.testing.TestEncoders;

/** `ser train`, `ser eval`, `ser score` end to end on the shared HH-RLHF file. */
class ModelCommandsTest {
  @TempDir Path dir;
  private static final ObjectMapper JSON = new ObjectMapper();

  static void assertPng(Path file) throws Exception {
    byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(file), 8);
    assertEquals(0x89, head[0] & 0xff, file + " is a PNG");
    assertEquals("PNG", new String(head, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Test
  void trainEvalScore() throws Exception {
    String hh = SharedData.require(SharedData.HH_RLHF).toString();
    String cache = TestEncoders.CACHE.toString();
    Path model = dir.resolve("model");
    CliTest.Result train =
        CliTest.run(
            "train",
            "--train",
            hh,
            "--test-fraction",
            "0.2",
            "--seed",
            "42",
            "--skip-bad",
            "--quiet",
            "--cache",
            cache,
            "--out",
            model.toString());
    assertEquals(0, train.code(), train.err());
    JsonNode metrics = JSON.readTree(model.resolve("metrics.json").toFile());
    assertTrue(metrics.get("test_accuracy").asDouble() >= 0.58, metrics.toString());
    assertEquals(metrics.get("train_pairs").asInt() + metrics.get("test_pairs").asInt(), 2303);
    assertPng(model.resolve("learning-curve.png"));
    CliTest.Result info = CliTest.run("info", "--model", model.toString(), "--json");
    assertEquals(0, info.code(), info.err());
    JsonNode i = JSON.readTree(info.out());
    assertEquals("train", i.get("provenance").get("command").asText());
    assertEquals(metrics.get("test_accuracy").asDouble(), i.get("test_accuracy").asDouble(), 1e-12);

    Path split = dir.resolve("split");
    assertEquals(
        0,
        CliTest.run(
                "data",
                "split",
                "--train",
                hh,
                "--test-fraction",
                "0.2",
                "--seed",
                "42",
                "--skip-bad",
                "--out",
                split.toString())
            .code());
    Path evalDir = dir.resolve("eval");
    CliTest.Result eval =
        CliTest.run(
            "eval",
            "--model",
            model.toString(),
            "--test",
            split.resolve("test.jsonl").toString(),
            "--quiet",
            "--cache",
            cache,
            "--out",
            evalDir.toString());
    assertEquals(0, eval.code(), eval.err());
    JsonNode e = JSON.readTree(evalDir.resolve("eval.json").toFile());
    assertEquals(metrics.get("test_pairs").asInt(), e.get("pairs").asInt());
    assertEquals(
        metrics.get("test_accuracy").asDouble(),
        e.get("accuracy").asDouble(),
        1e-12,
        "the loaded model ranks the same test pairs the same way");
    assertTrue(e.get("ece").asDouble() >= 0 && e.get("ece").asDouble() < 0.5);
    assertPng(evalDir.resolve("margin-histogram.png"));
    assertPng(evalDir.resolve("reliability.png"));
    assertPng(evalDir.resolve("style-splits.png"));

    Path scored = dir.resolve("scored.jsonl");
    CliTest.Result score =
        CliTest.run(
            "score",
            "--model",
            model.toString(),
            "--input",
            split.resolve("test.jsonl").toString(),
            "--out",
            scored.toString(),
            "--quiet",
            "--cache",
            cache,
            "--chunk",
            "100");
    assertEquals(0, score.code(), score.err());
    List<String> lines = Files.readAllLines(scored);
    assertEquals(e.get("pairs").asInt(), lines.size());
    int right = 0;
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      right += n.get("reward_chosen").asDouble() > n.get("reward_rejected").asDouble() ? 1 : 0;
    }
    assertEquals(
        e.get("accuracy").asDouble(),
        (double) right / lines.size(),
        1e-12,
        "score agrees with eval");

    // Prompt/response records: the reward of a response equals its reward inside a pair.
    JsonNode firstPair = JSON.readTree(lines.get(0));
    JsonNode record = JSON.createObjectNode().put("id", "x").set("prompt", firstPair.get("prompt"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) record)
        .put("response", firstPair.get("chosen").asText());
    Path responses = dir.resolve("responses.jsonl");
    Files.writeString(responses, JSON.writeValueAsString(record) + "\n");
    Path out = dir.resolve("responses-scored.jsonl.gz");
    assertEquals(
        0,
        CliTest.run(
                "score",
                "--model",
                model.toString(),
                "--input",
                responses.toString(),
                "--out",
                out.toString(),
                "--quiet",
                "--cache",
                cache)
            .code());
    try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(out))) {
      JsonNode n = JSON.readTree(in.readAllBytes());
      assertEquals(firstPair.get("reward_chosen").asDouble(), n.get("reward").asDouble(), 0.0);
    }
  }

  @Test
  void evalRefusesADirectoryThatIsNoModel() {
    CliTest.Result r =
        CliTest.run(
            "eval", "--model", dir.toString(), "--test", SharedData.HH_RLHF.toString(), "--quiet");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("not a model directory"), r.err());
  }
}
