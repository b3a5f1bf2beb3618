package org.ser4j.model.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.data.split.Splits;
import org.ser4j.encoder.Featurizer;
import org.ser4j.eval.PairMetrics;
import org.ser4j.model.ModelStore;
import org.ser4j.model.Provenance;
import org.ser4j.testing.SharedData;
import org.ser4j.testing.TestEncoders;
import org.ser4j.util.Progress;

/** The default reward model (frozen bge-small int8 + linear head) learns real human preferences. */
class HeadModelOnHhTest {
  @TempDir Path dir;

  @Test
  void learnsHhRlhfAboveChanceAndSurvivesSaveAndLoad() throws Exception {
    Splits.TrainTest split = hhSplit();
    try (Featurizer featurizer = TestEncoders.open(TestEncoders.defaults(), TestEncoders.CACHE)) {
      List<PairFeatures> f = PairEncoding.features(featurizer, split.train(), split.test());
      TrainedHead trained =
          new RewardTrainer(TrainConfig.defaults(), Progress.quiet()).train(f.get(0));

      double firstLoss = trained.history().get(0).trainLoss();
      double bestLoss = trained.best().trainLoss();
      assertTrue(
          bestLoss < firstLoss - 0.01, "training loss falls: " + firstLoss + " -> " + bestLoss);

      HeadModel model =
          new HeadModel(
              featurizer.config(),
              trained.normalizer(),
              trained.head(),
              Provenance.of("test", "hh", null, 1, 0.8, 0, -1, null));
      double[] rc = model.score(f.get(1).chosen());
      double[] rr = model.score(f.get(1).rejected());
      PairMetrics test = PairMetrics.of(rc, rr);
      System.out.printf(
          "HH-RLHF held-out accuracy %.4f on %d pairs (trained on %d)%n",
          test.accuracy(), test.pairs(), split.train().size());
      assertTrue(test.accuracy() >= 0.58, "held-out accuracy " + test.accuracy());

      model.save(dir);
      HeadModel loaded = (HeadModel) ModelStore.load(dir);
      assertEquals(model.encoder(), loaded.encoder());
      assertArrayEquals(
          rc, loaded.score(f.get(1).chosen()), "saved-then-loaded model scores identically");
      assertArrayEquals(rr, loaded.score(f.get(1).rejected()));
      assertEquals(model.provenance(), loaded.provenance(), "provenance survives the round trip");
    }
  }

  /**
   * The full-batch fit (the one a cluster runs beyond its bound) learns the same real preferences
   * about as well as the default mini-batch fit: both on the same pairs, early-stopped or judged on
   * the same held-out tenth, scored on the same test prompts.
   */
  @Test
  void theFullBatchFitLearnsHhRlhfAboutAsWell() throws Exception {
    Splits.TrainTest split = hhSplit();
    try (Featurizer featurizer = TestEncoders.open(TestEncoders.defaults(), TestEncoders.CACHE)) {
      List<PairFeatures> f = PairEncoding.features(featurizer, split.train(), split.test());
      org.ser4j.data.split.SeedSplit held =
          org.ser4j.data.split.SeedSplit.forTraining(f.get(0).size(), 0.1, 42);
      PairFeatures train = f.get(0).select(held.train());
      PairFeatures validation = f.get(0).select(held.validation());
      TrainedHead miniBatch =
          new RewardTrainer(TrainConfig.defaults(), Progress.quiet()).train(train, validation);
      TrainedHead fullBatch =
          new FullBatchTrainer(Progress.quiet())
              .train(
                  FullBatchTrainer.inMemory(train, null),
                  validation,
                  null,
                  null,
                  FullBatchTrainer.PATH,
                  2);
      double a = accuracy(miniBatch, f.get(1));
      double b = accuracy(fullBatch, f.get(1));
      System.out.printf(
          "HH-RLHF held-out accuracy: mini-batch %.4f, full-batch %.4f (lambda %g) on %d pairs%n",
          a, b, FullBatchTrainer.PATH[fullBatch.bestEpoch() - 1], f.get(1).size());
      assertTrue(b >= 0.58, "full-batch held-out accuracy " + b);
      assertTrue(Math.abs(a - b) <= 0.03, "full-batch " + b + " vs mini-batch " + a);
    }
  }

  /** HH-RLHF's pairs, a fifth of the prompts held out for test. */
  private static Splits.TrainTest hhSplit() throws java.io.IOException {
    List<PreferencePair> all =
        PairReader.readAll(
                SharedData.require(SharedData.HH_RLHF), ReadOptions.defaults().withSkipBad(true))
            .pairs();
    return Splits.byPrompt(Splits.dropTies(all).kept(), 0.2, 42);
  }

  private static double accuracy(TrainedHead h, PairFeatures test) {
    HeadModel m = new HeadModel(null, h.normalizer(), h.head(), Provenance.UNKNOWN);
    return PairMetrics.of(m.score(test.chosen()), m.score(test.rejected())).accuracy();
  }
}
