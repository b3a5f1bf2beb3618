package org.ser4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.api.Ser4j;
import org.ser4j.data.Prompt;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.RewardScorer;
import org.ser4j.testing.TestEncoders;

/**
 * A run ships one model: `ser evolve` writes final/ (the kept loop's model, named by report.json),
 * and the commands that take a model, and the Java API, take the run directory itself.
 */
class FinalModelTest {
  @TempDir Path dir;

  @Test
  void aRunDirectoryIsItsFinalModel() throws Exception {
    Path[] files = CliTest.hhSplit(dir, 300, 60);
    Path run = dir.resolve("run");
    String cache = TestEncoders.CACHE.toString();
    CliTest.Result evolve =
        CliTest.run(
            "evolve",
            "--train",
            files[0].toString(),
            "--test",
            files[1].toString(),
            "--max-loops",
            "2",
            "--quiet",
            "--cache",
            cache,
            "--out",
            run.toString());
    assertEquals(0, evolve.code(), evolve.err());
    JsonNode report = new ObjectMapper().readTree(run.resolve("report.json").toFile());
    assertEquals("final", report.get("final_model").asText());
    Path kept = run.resolve("loop-" + report.get("final_loop").asInt()).resolve("model");
    assertArrayEquals(
        Files.readAllBytes(kept.resolve("model.safetensors")),
        Files.readAllBytes(run.resolve("final/model.safetensors")),
        "final/ is the kept loop's model");
    assertTrue(evolve.out().contains("final model: " + run.resolve("final")), evolve.out());
    assertTrue(
        Files.list(run).noneMatch(p -> p.getFileName().toString().startsWith(".final")),
        "no temporary copy left behind");

    // `ser score` on the run directory scores as on final/ itself.
    Path a = dir.resolve("a.jsonl");
    Path b = dir.resolve("b.jsonl");
    for (Object[] target : new Object[][] {{run, a}, {run.resolve("final"), b}}) {
      CliTest.Result score =
          CliTest.run(
              "score",
              "--model",
              target[0].toString(),
              "--input",
              files[1].toString(),
              "--out",
              target[1].toString(),
              "--quiet",
              "--cache",
              cache);
      assertEquals(0, score.code(), score.err());
    }
    assertEquals(Files.readAllLines(a), Files.readAllLines(b));
    assertTrue(Files.readAllLines(a).size() >= 50);

    // The Java API opens the run directory too.
    List<ResponseInput> inputs =
        List.of(
            new ResponseInput(Prompt.of("How do I bake bread?"), "Mix flour, water and yeast."),
            new ResponseInput(Prompt.of("How do I bake bread?"), "No."));
    double[] viaRun;
    double[] viaFinal;
    try (RewardScorer rm = Ser4j.open(run)) {
      viaRun = rm.rewards(inputs);
    }
    try (RewardScorer rm = Ser4j.open(run.resolve("final"))) {
      viaFinal = rm.rewards(inputs);
    }
    assertArrayEquals(viaFinal, viaRun);

    // `ser info` says what the shipped model is, in words and as JSON.
    CliTest.Result info = CliTest.run("info", "--model", run.toString(), "--json");
    assertEquals(0, info.code(), info.err());
    JsonNode i = new ObjectMapper().readTree(info.out());
    int keptLoop = report.get("final_loop").asInt();
    assertEquals(run.resolve("final").toString(), i.get("model_dir").asText());
    assertEquals("frozen encoder + head", i.get("family").asText());
    assertEquals(keptLoop, i.get("provenance").get("loop").asInt());
    assertEquals("evolve", i.get("provenance").get("command").asText());
    assertTrue(i.get("encoder").get("fingerprint").asText().length() >= 8);
    assertEquals(
        report.get("loops").get(keptLoop).get("test_accuracy").asDouble(),
        i.get("test_accuracy").asDouble(),
        1e-12,
        "the kept loop's test accuracy, from the run's report");
    CliTest.Result words = CliTest.run("info", "--model", run.toString());
    assertEquals(0, words.code(), words.err());
    assertTrue(words.out().contains("test accuracy: "), words.out());
    assertTrue(words.out().contains("SER loop " + keptLoop), words.out());

    // Resuming a finished run keeps final/ as it was.
    long before = Files.getLastModifiedTime(run.resolve("final/model.safetensors")).toMillis();
    CliTest.Result again = CliTest.run("evolve", "--resume", run.toString(), "--quiet");
    assertEquals(0, again.code(), again.err());
    assertEquals(
        before, Files.getLastModifiedTime(run.resolve("final/model.safetensors")).toMillis());
  }
}
