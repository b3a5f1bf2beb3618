package org.ser4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.model.ModelStore;
import org.ser4j.model.finetune.FineTunedModel;
import org.ser4j.model.finetune.FineTunedScorer;
import org.ser4j.serve.RewardServer;
import org.ser4j.util.Progress;

/**
 * A fine-tuned model (top:1, a few hundred real HH-RLHF pairs) saved by `ser train --finetune`
 * scores the same in `ser eval`, `ser score`, `ser best-of-n` and `ser serve` as in the process
 * that trained it.
 */
class FineTunedModelCommandsTest {
  @TempDir Path dir;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void savedFineTunedModelScoresAsTrained() throws Exception {
    Path[] files = CliTest.hhSplit(dir, 1842, 100);
    Path test = files[1];

    Path model = dir.resolve("model");
    CliTest.Result train =
        CliTest.run(
            "train",
            "--train",
            files[0].toString(),
            "--test",
            test.toString(),
            "--labeled-fraction",
            "0.15",
            "--finetune",
            "top:1",
            "--max-length",
            "64",
            "--finetune-epochs",
            "2",
            "--encoder-lr",
            "1e-4",
            "--finetune-head-lr",
            "1e-2",
            "--quiet",
            "--out",
            model.toString());
    assertEquals(0, train.code(), train.err());
    assertTrue(ModelStore.load(model) instanceof FineTunedModel);
    // ser train wrote the exported graph: eval, score and best-of-n below run it on ONNX
    // Runtime, and serve (DJL's network, opened explicitly) must agree with them.
    assertNotNull(((FineTunedModel) ModelStore.load(model)).onnx());
    JsonNode metrics = JSON.readTree(model.resolve("metrics.json").toFile());
    assertEquals("top:1", metrics.get("finetune").asText());
    assertEquals(100, metrics.get("test_pairs").asInt());
    JsonNode history = metrics.get("history");
    assertTrue(
        history.get(history.size() - 1).get("trainLoss").asDouble()
                < history.get(0).get("trainLoss").asDouble() + 1e-9
            || history.size() == 1,
        history.toString());

    // ser eval: same test pairs, same ranking and margins as the training process measured.
    Path evalDir = dir.resolve("eval");
    CliTest.Result eval =
        CliTest.run(
            "eval",
            "--model",
            model.toString(),
            "--test",
            test.toString(),
            "--quiet",
            "--out",
            evalDir.toString());
    assertEquals(0, eval.code(), eval.err());
    JsonNode e = JSON.readTree(evalDir.resolve("eval.json").toFile());
    assertEquals(
        metrics.get("test_accuracy").asDouble(),
        e.get("accuracy").asDouble(),
        0.0101,
        "at most one near-tie may flip");
    assertEquals(metrics.get("test_mean_margin").asDouble(), e.get("mean_margin").asDouble(), 1e-4);

    // ser score: the same rewards, pair by pair, as eval's ranking.
    Path scored = dir.resolve("scored.jsonl");
    assertEquals(
        0,
        CliTest.run(
                "score",
                "--model",
                model.toString(),
                "--input",
                test.toString(),
                "--out",
                scored.toString(),
                "--quiet",
                "--chunk",
                "32")
            .code());
    List<String> lines = Files.readAllLines(scored);
    assertEquals(100, lines.size());
    int right = 0;
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      right += n.get("reward_chosen").asDouble() > n.get("reward_rejected").asDouble() ? 1 : 0;
    }
    assertEquals(e.get("accuracy").asDouble(), right / 100.0, 0.0101);

    // ser best-of-n on the pairs: picks the chosen answer as often as eval ranks it first.
    Path picks = dir.resolve("picks.jsonl");
    CliTest.Result bon =
        CliTest.run(
            "best-of-n",
            "--model",
            model.toString(),
            "--input",
            test.toString(),
            "--out",
            picks.toString(),
            "--quiet");
    assertEquals(0, bon.code(), bon.err());
    long agree =
        Files.readAllLines(picks).stream().filter(l -> l.contains("\"best_index\":0")).count();
    assertEquals(e.get("accuracy").asDouble(), agree / 100.0, 0.0101);

    // ser serve: /score gives the rewards `ser score` wrote.
    JsonNode first = JSON.readTree(lines.get(0));
    try (FineTunedScorer scorer =
        new FineTunedScorer(FineTunedModel.load(model), Progress.quiet())) {
      RewardServer server = new RewardServer(scorer, "ft", RewardServer.Limits.defaults());
      int port = server.start("127.0.0.1", 0);
      try {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode pairs = body.putArray("pairs");
        for (String side : new String[] {"chosen", "rejected"}) {
          pairs
              .addObject()
              .put("response", first.get(side).asText())
              .set("prompt", first.get("prompt"));
        }
        HttpResponse<String> resp =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/score"))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertEquals(200, resp.statusCode(), resp.body());
        JsonNode rewards = JSON.readTree(resp.body()).get("rewards");
        assertEquals(first.get("reward_chosen").asDouble(), rewards.get(0).asDouble(), 1e-5);
        assertEquals(first.get("reward_rejected").asDouble(), rewards.get(1).asDouble(), 1e-5);
      } finally {
        server.stop(5_000);
      }
    }

    // ser export-onnx writes the same graph again: the rewards do not move.
    CliTest.Result export = CliTest.run("export-onnx", "--model", model.toString());
    assertEquals(0, export.code(), export.err());
    assertTrue(export.out().contains("model.onnx"), export.out());
    assertTrue(JSON.readTree(model.resolve("config.json").toFile()).has("onnx_sha256"));
    Path rescored = dir.resolve("rescored.jsonl");
    assertEquals(
        0,
        CliTest.run(
                "score",
                "--model",
                model.toString(),
                "--input",
                test.toString(),
                "--out",
                rescored.toString(),
                "--quiet")
            .code());
    List<String> again = Files.readAllLines(rescored);
    for (int i = 0; i < lines.size(); i++) {
      JsonNode a = JSON.readTree(lines.get(i));
      JsonNode b = JSON.readTree(again.get(i));
      assertEquals(a.get("reward_chosen").asDouble(), b.get("reward_chosen").asDouble(), 1e-4);
      assertEquals(a.get("reward_rejected").asDouble(), b.get("reward_rejected").asDouble(), 1e-4);
    }
  }
}
