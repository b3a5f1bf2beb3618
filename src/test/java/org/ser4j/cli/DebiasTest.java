package org.ser4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.testing.SharedData;
import org.ser4j.testing.TestEncoders;

/**
 * `--debias length,markdown` end to end on the shared HH-RLHF file (frozen bge-small-q): the run
 * records the style head, the saved quality head reloads with the rewards the run measured, and it
 * has learned length away: on this data the plain RM prefers the shorter answer (harmless answers
 * are often short refusals), the debiased one much less so.
 */
class DebiasTest {
  @TempDir Path dir;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String[] evolve(Path out, String debias) {
    return new String[] {
      "evolve",
      "--train",
      SharedData.require(SharedData.HH_RLHF).toString(),
      "--test-fraction",
      "0.2",
      "--seed",
      "42",
      "--skip-bad",
      "--quiet",
      "--max-loops",
      "2",
      "--encoder",
      "bge-small-q",
      "--debias",
      debias,
      "--cache",
      TestEncoders.CACHE.toString(),
      "--out",
      out.toString()
    };
  }

  private static JsonNode split(JsonNode splits, String style) {
    for (JsonNode s : splits) {
      if (s.path("style").asText().equals(style)) {
        return s;
      }
    }
    throw new AssertionError("no " + style + " split in " + splits);
  }

  @Test
  void evolveLearnsLengthApartAndTheSavedModelKeepsIt() throws Exception {
    Path plain = dir.resolve("plain");
    Path debiased = dir.resolve("debiased");
    CliTest.Result p = CliTest.run(evolve(plain, "none"));
    assertEquals(0, p.code(), p.err());
    CliTest.Result d = CliTest.run(evolve(debiased, "length,markdown"));
    assertEquals(0, d.code(), d.err());

    JsonNode plainReport = JSON.readTree(plain.resolve("report.json").toFile());
    JsonNode report = JSON.readTree(debiased.resolve("report.json").toFile());
    JsonNode plainKept = plainReport.get("loops").get(plainReport.get("final_loop").asInt());
    JsonNode kept = report.get("loops").get(report.get("final_loop").asInt());
    assertTrue(plainKept.get("debias") == null, "no style head without --debias");
    for (JsonNode loop : report.get("loops")) {
      JsonNode style = loop.get("debias");
      assertEquals("[\"length\",\"markdown\"]", style.get("styles").toString());
      double share = style.get("style_share").asDouble();
      assertTrue(share > 0 && share < 1, "style share " + share);
      assertEquals(4, style.get("constraints").asInt(), "two per style");
    }
    // Learned away: the within-prompt reward-length correlation falls to under half, and the side
    // the plain RM gets wrong (here: the chosen answer is the longer) gains.
    JsonNode plainLength = split(plainKept.get("style_splits"), "length");
    JsonNode length = split(kept.get("style_splits"), "length");
    double before = plainLength.get("within_prompt_correlation").asDouble();
    double after = length.get("within_prompt_correlation").asDouble();
    assertTrue(before < -0.2, "the plain RM prefers short answers here: " + before);
    assertTrue(Math.abs(after) < Math.abs(before) / 2, before + " -> " + after);
    assertTrue(
        length.get("accuracy_chosen_more").asDouble()
            > plainLength.get("accuracy_chosen_more").asDouble() + 0.05,
        plainLength + " -> " + length);

    // The saved model is the quality head: `ser eval` on the run's test pairs reproduces the kept
    // loop's accuracy and style splits from the reloaded weights.
    Path split = dir.resolve("split");
    assertEquals(
        0,
        CliTest.run(
                "data",
                "split",
                "--train",
                SharedData.require(SharedData.HH_RLHF).toString(),
                "--test-fraction",
                "0.2",
                "--seed",
                "42",
                "--skip-bad",
                "--out",
                split.toString())
            .code());
    Path evalDir = dir.resolve("eval");
    CliTest.Result e =
        CliTest.run(
            "eval",
            "--model",
            debiased.toString(),
            "--test",
            split.resolve("test.jsonl").toString(),
            "--quiet",
            "--cache",
            TestEncoders.CACHE.toString(),
            "--out",
            evalDir.toString());
    assertEquals(0, e.code(), e.err());
    JsonNode eval = JSON.readTree(evalDir.resolve("eval.json").toFile());
    assertEquals(kept.get("test_accuracy").asDouble(), eval.get("accuracy").asDouble(), 1e-12);
    for (String style : new String[] {"length", "markdown"}) {
      JsonNode a = split(kept.get("style_splits"), style);
      JsonNode b = split(eval.get("style_splits"), style);
      for (String f :
          new String[] {
            "accuracy_chosen_more", "accuracy_chosen_less", "within_prompt_correlation"
          }) {
        assertEquals(a.get(f).asDouble(), b.get(f).asDouble(), 1e-6, style + " " + f);
      }
    }
    assertTrue(e.out().contains("length: accuracy where the chosen answer has more"), e.out());
    ModelCommandsTest.assertPng(evalDir.resolve("style-splits.png"));

    // Recorded where users look: the model's provenance and report.html.
    CliTest.Result info = CliTest.run("info", "--model", debiased.toString(), "--json");
    assertEquals(0, info.code(), info.err());
    assertTrue(info.out().contains("\"debias\""), info.out());
    CliTest.Result words = CliTest.run("info", "--model", debiased.toString());
    assertTrue(
        words.out().contains("debias: length, markdown (the reward is the quality head"),
        words.out());
    String html = Files.readString(debiased.resolve("report.html"));
    assertTrue(html.contains("<h2>Style</h2>") && html.contains("--debias"), "report.html style");
  }

  @Test
  void refusedWhereItIsNotBuilt() throws Exception {
    Path[] files = CliTest.hhSplit(dir, 60, 20);
    String[][] cases = {
      {"--head", "mlp"}, {"--finetune", "top:1"}, {"--views", "bge-small-q,minilm-l6-q"}
    };
    for (String[] extra : cases) {
      java.util.List<String> args =
          new java.util.ArrayList<>(
              java.util.List.of(
                  "train",
                  "--train",
                  files[0].toString(),
                  "--test",
                  files[1].toString(),
                  "--quiet",
                  "--debias",
                  "length",
                  "--cache",
                  TestEncoders.CACHE.toString(),
                  "--out",
                  dir.resolve("refused").toString()));
      args.addAll(java.util.List.of(extra));
      CliTest.Result r = CliTest.run(args.toArray(String[]::new));
      assertTrue(r.code() != 0, String.join(" ", extra) + " was accepted");
      assertTrue(r.err().contains("--debias"), r.err());
      assertTrue(Files.notExists(dir.resolve("refused").resolve("model.safetensors")));
    }
    CliTest.Result bad =
        CliTest.run(
            "train",
            "--train",
            files[0].toString(),
            "--debias",
            "emoji",
            "--out",
            dir.resolve("bad").toString());
    assertTrue(bad.err().contains("expected none or a list of length, markdown"), bad.err());
  }
}
