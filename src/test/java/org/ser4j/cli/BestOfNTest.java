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

/** `ser best-of-n` and `ser scale` on a model trained on the shared HH-RLHF file. */
class BestOfNTest {
  @TempDir Path dir;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void picksAgreeWithEvalAndTheScaleReachesCallers() throws Exception {
    String hh = SharedData.require(SharedData.HH_RLHF).toString();
    String cache = TestEncoders.CACHE.toString();
    Path model = dir.resolve("model");
    assertEquals(
        0,
        CliTest.run(
                "train",
                "--train",
                hh,
                "--skip-bad",
                "--quiet",
                "--cache",
                cache,
                "--out",
                model.toString())
            .code());
    Path split = dir.resolve("split");
    assertEquals(
        0,
        CliTest.run("data", "split", "--train", hh, "--skip-bad", "--out", split.toString())
            .code());
    String test = split.resolve("test.jsonl").toString();

    // Preference pairs as two candidates: agreement with the human equals pairwise accuracy.
    Path picks = dir.resolve("picks.jsonl");
    CliTest.Result r =
        CliTest.run(
            "best-of-n",
            "--model",
            model.toString(),
            "--input",
            test,
            "--out",
            picks.toString(),
            "--quiet",
            "--cache",
            cache);
    assertEquals(0, r.code(), r.err());
    double accuracy =
        JSON.readTree(model.resolve("metrics.json").toFile()).get("test_accuracy").asDouble();
    assertTrue(
        r.out()
            .contains(
                String.format(
                    java.util.Locale.ROOT, "agreement with the human choice: %.4f", accuracy)),
        r.out() + " vs " + accuracy);

    // Candidates format: the pick is the highest reward.
    List<String> first = Files.readAllLines(picks).subList(0, 2);
    JsonNode a = JSON.readTree(first.get(0));
    JsonNode b = JSON.readTree(first.get(1));
    Path candidates = dir.resolve("candidates.jsonl");
    String line =
        JSON.createObjectNode()
            .put("id", "c1")
            .<com.fasterxml.jackson.databind.node.ObjectNode>set("prompt", a.get("prompt"))
            .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                "responses",
                JSON.createArrayNode()
                    .add(b.get("best").asText())
                    .add(a.get("best").asText())
                    .add("no"))
            .put("preferred", 1)
            .toString();
    Files.writeString(candidates, line + "\n");
    Path out = dir.resolve("out.jsonl");
    assertEquals(
        0,
        CliTest.run(
                "best-of-n",
                "--model",
                model.toString(),
                "--input",
                candidates.toString(),
                "--out",
                out.toString(),
                "--quiet",
                "--cache",
                cache)
            .code());
    JsonNode pick = JSON.readTree(Files.readString(out));
    JsonNode rewards = pick.get("rewards");
    int best = pick.get("best_index").asInt();
    for (JsonNode x : rewards) {
      assertTrue(rewards.get(best).asDouble() >= x.asDouble());
    }

    // A baseline scale is saved in the model and every reward comes back in [-1, 1].
    assertEquals(
        0,
        CliTest.run(
                "scale", "--model", model.toString(), "--method", "baseline", "--baseline", "0.5")
            .code());
    assertEquals(
        "baseline",
        JSON.readTree(model.resolve("config.json").toFile())
            .get("reward_scale")
            .get("method")
            .asText());
    assertEquals(
        0,
        CliTest.run(
                "best-of-n",
                "--model",
                model.toString(),
                "--input",
                test,
                "--out",
                picks.toString(),
                "--quiet",
                "--cache",
                cache)
            .code());
    for (String l : Files.readAllLines(picks)) {
      for (JsonNode x : JSON.readTree(l).get("rewards")) {
        assertTrue(x.asDouble() >= -1 && x.asDouble() <= 1, l);
      }
    }
  }

  @Test
  void badCandidatesNameTheLineAndField() throws Exception {
    Path candidates = dir.resolve("bad.jsonl");
    Files.writeString(
        candidates,
        "{\"prompt\": \"p\", \"responses\": [\"a\", \"b\"]}\n{\"prompt\": \"p\", \"responses\": [\"a\", 5]}\n");
    Path model = dir.resolve("nomodel");
    CliTest.Result r =
        CliTest.run(
            "best-of-n",
            "--model",
            model.toString(),
            "--input",
            candidates.toString(),
            "--out",
            dir.resolve("o").toString());
    assertEquals(1, r.code());
    assertTrue(
        r.err().contains(candidates + ":2: field 'responses[1]': expected a string"), r.err());
  }
}
