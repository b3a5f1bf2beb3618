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
    // Human labels, a pool nobody judged and a test set: HH-RLHF split as `ser data split` does.
    Path split = dir.resolve("split");
    assertEquals(
        0,
        org.ser4j.cli.SerCli.run(
            new String[] {
              "data",
              "split",
              "--train",
              SharedData.require(SharedData.HH_RLHF).toString(),
              "--skip-bad",
              "--out",
              split.toString()
            },
            new java.io.PrintWriter(java.io.Writer.nullWriter()),
            new java.io.PrintWriter(java.io.Writer.nullWriter())));
    Path humanLabels = split.resolve("labeled.jsonl");
    Path pool = split.resolve("unlabeled.jsonl");
    Path testPairs = split.resolve("test.jsonl");
    Path runDir = dir.resolve("run");
    Path cacheDir = TestEncoders.CACHE;
    double good;
    double bad;
    // README example: start
    SerResult run =
        Ser4j.labeled(humanLabels)
            .unlabeled(pool)
            .test(testPairs)
            .maxLoops(2)
            .cache(cacheDir)
            .out(runDir)
            .evolve();
    System.out.printf(
        "seed-only %.3f, SER %.3f (loop %d)%n",
        run.seedOnly().testAccuracy(), run.kept().testAccuracy(), run.keptLoop());

    try (RewardScorer rm = Ser4j.open(runDir)) { // the run's final/ model: its kept loop's
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
    assertEquals(
        run.keptLoop(),
        ModelStore.load(runDir.resolve("final")).provenance().loop(),
        "a run from Java ships final/ too");
    // It writes run.json as the CLI does: `ser export` and `ser evolve --resume` open the run.
    java.io.StringWriter err = new java.io.StringWriter();
    Path exported = runDir.resolveSibling("labels.jsonl");
    int code =
        org.ser4j.cli.SerCli.run(
            new String[] {"export", "--run", runDir.toString(), "--out", exported.toString()},
            new java.io.PrintWriter(java.io.Writer.nullWriter()),
            new java.io.PrintWriter(err));
    assertEquals(0, code, err.toString());
    assertTrue(Files.readAllLines(exported).size() > run.kept().trainPairs() / 2);
    java.io.StringWriter out = new java.io.StringWriter();
    code =
        org.ser4j.cli.SerCli.run(
            new String[] {"evolve", "--resume", runDir.toString(), "--quiet"},
            new java.io.PrintWriter(out),
            new java.io.PrintWriter(err));
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("already finished"), out.toString());

    String readme = Files.readString(Path.of("README.md"));
    // The README's imports name classes that exist, and its coordinates are the build's.
    java.util.List<String> imports =
        readme.lines().filter(l -> l.startsWith("import org.ser4j.")).toList();
    assertTrue(imports.size() >= 3, "the README shows the example's imports");
    for (String line : imports) {
      Class.forName(line.substring("import ".length(), line.length() - 1));
    }
    String pom = Files.readString(Path.of("pom.xml"));
    for (String coordinate :
        java.util.List.of(
            "<groupId>org.ser4j</groupId>",
            "<artifactId>ser4j</artifactId>",
            "<version>0.1.0-SNAPSHOT</version>")) {
      assertTrue(readme.contains(coordinate) && pom.contains(coordinate), coordinate);
    }
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
            .seed(3)
            .cache(TestEncoders.CACHE)
            .out(out)
            .train();
    assertTrue(model instanceof HeadModel);
    assertEquals("api-train", model.provenance().command());
    assertEquals(1.0, model.provenance().labeledFraction(), "every label, as `ser train`");
    assertEquals(
        model.provenance(),
        ModelStore.load(out).provenance(),
        "provenance survives the round trip");
  }

  /**
   * `Job.debias`: recorded in the model, and its rewards leave length out where plain ones do not.
   */
  @Test
  void debiasedTrainingLeavesLengthOut() throws Exception {
    java.util.List<org.ser4j.data.PreferencePair> pairs =
        org.ser4j.data.format.PairReader.readAll(
                SharedData.require(SharedData.HH_RLHF),
                org.ser4j.data.format.ReadOptions.defaults().withSkipBad(true))
            .pairs()
            .subList(0, 400);
    java.util.List<org.ser4j.encoder.ResponseInput> answers = new java.util.ArrayList<>();
    double[] lengths = new double[2 * pairs.size()];
    for (org.ser4j.data.PreferencePair p : pairs) {
      lengths[answers.size()] = p.chosen().length();
      answers.add(new org.ser4j.encoder.ResponseInput(p.prompt(), p.chosen()));
      lengths[answers.size()] = p.rejected().length();
      answers.add(new org.ser4j.encoder.ResponseInput(p.prompt(), p.rejected()));
    }
    double[] correlation = new double[2];
    String[] debias = {"none", "length"};
    for (int k = 0; k < 2; k++) {
      Path out = dir.resolve(debias[k]);
      TrainedModel model =
          Ser4j.on(SharedData.require(SharedData.HH_RLHF))
              .skipBad()
              .encoder("bge-small-q")
              .debias(debias[k])
              .cache(TestEncoders.CACHE)
              .out(out)
              .train();
      String settings = model.provenance().config().toString();
      assertEquals(k == 1, settings.contains("\"debias\":[\"LENGTH\"]"), settings);
      try (RewardScorer rm = Ser4j.open(out)) {
        correlation[k] = org.ser4j.eval.LengthBias.correlation(rm.rewards(answers), lengths, false);
      }
    }
    assertTrue(correlation[0] < -0.2, "plain rewards prefer short answers here: " + correlation[0]);
    assertTrue(
        Math.abs(correlation[1]) < Math.abs(correlation[0]) / 2,
        correlation[0] + " -> " + correlation[1]);
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
