package org.ser4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.data.PairReader;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.ReadOptions;
import org.ser4j.data.Splits;
import org.ser4j.encoder.Featurizer;
import org.ser4j.eval.PairMetrics;
import org.ser4j.testing.SharedData;
import org.ser4j.testing.TestEncoders;
import org.ser4j.util.Progress;

/** The default reward model (frozen bge-small int8 + linear head) learns real human preferences. */
class RewardModelOnHhTest {
  @TempDir Path dir;

  @Test
  void learnsHhRlhfAboveChanceAndSurvivesSaveAndLoad() throws Exception {
    List<PreferencePair> all = PairReader.readAll(SharedData.require(SharedData.HH_RLHF), ReadOptions.defaults().withSkipBad(true)).pairs();
    Splits.TrainTest split = Splits.byPrompt(Splits.dropTies(all).kept(), 0.2, 42);
    try (Featurizer featurizer = TestEncoders.open(TestEncoders.defaults(), TestEncoders.CACHE)) {
      List<PairFeatures> f = PairEncoding.features(featurizer, split.train(), split.test());
      TrainedHead trained = new RewardTrainer(TrainConfig.defaults(), Progress.quiet()).train(f.get(0));

      double firstLoss = trained.history().get(0).trainLoss();
      double bestLoss = trained.best().trainLoss();
      assertTrue(bestLoss < firstLoss - 0.01, "training loss falls: " + firstLoss + " -> " + bestLoss);

      RewardModel model = new RewardModel(featurizer.config(), trained.normalizer(), trained.head(), Map.of("test", true));
      double[][] r = PairEncoding.rewards(model, f.get(1));
      PairMetrics test = PairMetrics.of(r[0], r[1]);
      System.out.printf("HH-RLHF held-out accuracy %.4f on %d pairs (trained on %d)%n", test.accuracy(), test.pairs(), split.train().size());
      assertTrue(test.accuracy() >= 0.58, "held-out accuracy " + test.accuracy());

      ModelStore.save(model, dir);
      RewardModel loaded = ModelStore.load(dir);
      assertEquals(model.encoder(), loaded.encoder());
      double[][] again = PairEncoding.rewards(loaded, f.get(1));
      assertArrayEquals(r[0], again[0], "saved-then-loaded model scores identically");
      assertArrayEquals(r[1], again[1]);
      assertEquals(true, loaded.provenance().get("test"));
    }
  }
}
