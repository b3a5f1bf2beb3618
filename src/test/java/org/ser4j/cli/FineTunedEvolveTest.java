package org.ser4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.model.ModelStore;
import org.ser4j.model.finetune.FineTunedModel;

/**
 * `ser evolve --finetune top:1` on real HH-RLHF pairs: the pool is scored by the fine-tuned
 * network, pairs are selected, the run resumes.
 */
class FineTunedEvolveTest {
  @TempDir Path dir;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void evolvesWithALearningEncoder() throws Exception {
    Path[] files = CliTest.hhSplit(dir, 300, 60);
    Path small = files[0];
    Path test = files[1];

    Path run = dir.resolve("run");
    String[] args = top1Evolve(small, test, run);
    CliTest.Result r = CliTest.run(args);
    assertEquals(0, r.code(), r.err());
    JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
    assertEquals("top:1", report.get("finetune").asText());
    assertTrue(report.get("finished").asBoolean());
    JsonNode loops = report.get("loops");
    assertEquals(2, loops.size(), report.toString());
    JsonNode loop1 = loops.get(1);
    assertTrue(loop1.get("selected").asInt() >= 5, loop1.toString());
    assertTrue(loop1.get("train_pairs").asInt() > loops.get(0).get("train_pairs").asInt());
    assertEquals(
        loop1.get("selected").asInt(),
        Files.readAllLines(run.resolve("loop-1/selected.jsonl")).size());
    assertTrue(ModelStore.load(run.resolve("loop-1/model")) instanceof FineTunedModel);
    assertEquals("final", report.get("final_model").asText());
    FineTunedModel kept = (FineTunedModel) ModelStore.load(run.resolve("final"));
    assertEquals(report.get("final_loop").asInt(), kept.provenance().loop(), "the kept loop's");
    assertTrue(kept.onnx() != null, "the shipped model is exported to model.onnx");
    assertTrue(Files.isRegularFile(kept.onnx().path()));
    for (JsonNode loop : loops) {
      double acc = loop.get("test_accuracy").asDouble();
      assertTrue(acc > 0 && acc < 1, loop.toString());
    }

    CliTest.Result again = CliTest.run("evolve", "--resume", run.toString(), "--quiet");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("already finished"), again.out());
  }

  /**
   * `ser evolve --finetune top:1` on a small HH split, cheap enough for a test: one SER loop with
   * lax thresholds so that it selects; {@code extra} options follow.
   */
  static String[] top1Evolve(Path train, Path test, Path out, String... extra) {
    String[] base = {
      "evolve",
      "--train",
      train.toString(),
      "--test",
      test.toString(),
      "--labeled-fraction",
      "0.2",
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
      "--max-loops",
      "1",
      "--keep",
      "last",
      "--selection",
      "good-bad",
      "--tau-high",
      "0.51",
      "--tau-low",
      "0.49",
      "--min-new",
      "5",
      "--quiet",
      "--out",
      out.toString()
    };
    String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }
}
