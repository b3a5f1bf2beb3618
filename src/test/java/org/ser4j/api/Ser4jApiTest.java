package org.ser4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.model.ModelStore;
import org.ser4j.model.RewardScorer;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.head.HeadModel;
import org.ser4j.ser.SerResult;
import org.ser4j.testing.SharedData;
import org.ser4j.testing.TestEncoders;

/**
 * The README's Java example, compiled and run as written, and the library's plain training path.
 */
class Ser4jApiTest {
  @TempDir Path dir;

  @Test
  void readmeExampleEvolvesSavesAndScores() throws Exception {
    Path pairs = SharedData.require(SharedData.HH_RLHF);
    Path runDir = dir.resolve("run");
    Path cacheDir = TestEncoders.CACHE;
    double good;
    double bad;
    // README example: start
    SerResult run =
        Ser4j.on(pairs)
            .skipBad()
            .testFraction(0.2)
            .labeledFraction(0.15)
            .seed(42)
            .maxLoops(2)
            .cache(cacheDir)
            .out(runDir)
            .evolve();
    System.out.printf(
        "seed-only %.3f, SER %.3f (loop %d)%n",
        run.seedOnly().testAccuracy(), run.kept().testAccuracy(), run.keptLoop());

    try (RewardScorer rm = Ser4j.open(runDir.resolve("loop-" + run.keptLoop()).resolve("model"))) {
      good =
          rm.reward(
              "How do I bake bread?",
              "Mix flour, water, salt and yeast, knead, let it rise, then bake it hot.");
      bad = rm.reward("How do I bake bread?", "No. Figure it out yourself.");
      System.out.printf("%s: %.3f vs %.3f%n", rm.describe(), good, bad);
    }
    // README example: end
    assertTrue(run.loops().size() >= 2, "Loop 0 and at least one SER loop: " + run.loops());
    assertTrue(
        run.seedOnly().testAccuracy() > 0.55,
        "the seed-only RM beats a coin on held-out prompts: " + run.seedOnly());
    assertTrue(Double.isFinite(good) && Double.isFinite(bad));
    TrainedModel kept = ModelStore.load(runDir.resolve("loop-" + run.keptLoop()).resolve("model"));
    assertEquals("api-evolve", kept.provenance().command());
    assertEquals(run.keptLoop(), kept.provenance().loop());

    String readme = Files.readString(Path.of("README.md"));
    String source = Files.readString(Path.of("src/test/java/org/ser4j/api/Ser4jApiTest.java"));
    String example =
        source.substring(
            source.indexOf("// README example: start"), source.indexOf("// README example: end"));
    for (String line :
        example.lines().skip(1).map(String::strip).filter(l -> !l.isEmpty()).toList()) {
      assertTrue(
          readme.contains(line), "README shows the example as this test runs it; missing: " + line);
    }
  }

  @Test
  void trainsOnEveryLabelAndSavesALoadableModel() throws Exception {
    Path out = dir.resolve("model");
    TrainedModel model =
        Ser4j.on(SharedData.require(SharedData.HH_RLHF))
            .skipBad()
            .labeledFraction(1.0)
            .seed(3)
            .cache(TestEncoders.CACHE)
            .out(out)
            .train();
    assertTrue(model instanceof HeadModel);
    assertEquals("api-train", model.provenance().command());
    assertEquals(
        model.provenance(),
        ModelStore.load(out).provenance(),
        "provenance survives the round trip");
  }

  @Test
  void showsProgressOnStderrWhenAsked() throws Exception {
    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    Ser4j.Job job =
        Ser4j.on(SharedData.require(SharedData.HH_RLHF))
            .skipBad()
            .labeledFraction(0.15)
            .cache(TestEncoders.CACHE);
    try {
      System.setErr(new java.io.PrintStream(captured, true, "UTF-8"));
      job.train();
      String quiet = captured.toString("UTF-8");
      job.showProgress().train();
      String shown = captured.toString("UTF-8").substring(quiet.length());
      assertTrue(!quiet.contains("train head"), "quiet by default: " + quiet);
      assertTrue(shown.contains("train head") && shown.contains("epochs"), shown);
    } finally {
      System.setErr(stderr);
    }
  }
}
