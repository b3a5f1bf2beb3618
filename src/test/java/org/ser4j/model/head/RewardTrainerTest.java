package org.ser4j.model.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ser4j.util.Progress;

/**
 * The trainer on synthetic preferences drawn from a hidden linear utility with Bradley-Terry noise:
 * it must learn it (held-out accuracy near the noise ceiling) and be reproducible.
 */
class RewardTrainerTest {
  static PairFeatures synthetic(int n, int d, long seed) {
    return synthetic(n, d, seed, seed + 1000);
  }

  /** Pairs drawn by {@code drawSeed} under the utility of {@code seed}. */
  static PairFeatures synthetic(int n, int d, long seed, long drawSeed) {
    Random random = new Random(seed);
    double[] truth = new double[d];
    for (int i = 0; i < d; i++) {
      truth[i] = random.nextGaussian();
    }
    Random draw = new Random(drawSeed);
    float[][] c = new float[n][];
    float[][] r = new float[n][];
    for (int k = 0; k < n; k++) {
      float[] a = new float[d];
      float[] b = new float[d];
      double ua = 0;
      double ub = 0;
      for (int i = 0; i < d; i++) {
        a[i] = (float) (draw.nextGaussian() * 2 + 5); // offset and scale: the normalizer must cope
        b[i] = (float) (draw.nextGaussian() * 2 + 5);
        ua += truth[i] * a[i];
        ub += truth[i] * b[i];
      }
      boolean aWins = draw.nextDouble() < 1 / (1 + Math.exp(-(ua - ub)));
      c[k] = aWins ? a : b;
      r[k] = aWins ? b : a;
    }
    return new PairFeatures(c, r);
  }

  private static double accuracy(TrainedHead t, PairFeatures pairs) {
    HeadModel m = new HeadModel(null, t.normalizer(), t.head(), org.ser4j.model.Provenance.UNKNOWN);
    int right = 0;
    for (int i = 0; i < pairs.size(); i++) {
      right += m.score(pairs.chosen()[i]) > m.score(pairs.rejected()[i]) ? 1 : 0;
    }
    return (double) right / pairs.size();
  }

  @Test
  void learnsAHiddenUtilityAndTheLossFalls() {
    PairFeatures train = synthetic(800, 16, 1);
    PairFeatures heldOut = syntheticHeldOut();
    for (HeadType type : HeadType.values()) {
      TrainConfig cfg =
          TrainConfig.defaults()
              .withHead(type)
              .withHidden(32)
              .withLearningRate(1e-2)
              .withWeightDecay(1e-3)
              .withMaxEpochs(100)
              .withPatience(10);
      TrainedHead t = new RewardTrainer(cfg, Progress.quiet()).train(train);
      double first = t.history().get(0).trainLoss();
      double best = t.best().trainLoss();
      assertTrue(best < first - 0.05, type + ": training loss falls: " + first + " -> " + best);
      double acc = accuracy(t, heldOut);
      assertTrue(acc > 0.85, type + ": held-out accuracy " + acc);
    }
  }

  /**
   * Held-out pairs from the same hidden utility as {@code synthetic(n, 16, 1)}, from other draws.
   */
  private static PairFeatures syntheticHeldOut() {
    PairFeatures big = synthetic(1600, 16, 1);
    int[] tail = new int[800];
    for (int i = 0; i < tail.length; i++) {
      tail[i] = 800 + i;
    }
    return big.select(tail);
  }

  @Test
  void sameSeedGivesIdenticalWeightsAnotherSeedDoesNot() {
    PairFeatures train = synthetic(300, 8, 5);
    TrainConfig cfg =
        TrainConfig.defaults()
            .withHead(HeadType.MLP)
            .withHidden(8)
            .withMaxEpochs(20)
            .withPatience(20);
    double[] a = new RewardTrainer(cfg, Progress.quiet()).train(train).head().parameters();
    double[] b = new RewardTrainer(cfg, Progress.quiet()).train(train).head().parameters();
    double[] c =
        new RewardTrainer(cfg.withSeed(7), Progress.quiet()).train(train).head().parameters();
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c));
  }

  @Test
  void warmStartLeavesTheStartingHeadUntouched() {
    PairFeatures train = synthetic(200, 4, 9);
    RewardTrainer trainer =
        new RewardTrainer(
            TrainConfig.defaults().withMaxEpochs(5).withPatience(5), Progress.quiet());
    TrainedHead first = trainer.train(train);
    double[] before = first.head().parameters().clone();
    trainer.train(train, first.head(), first.normalizer());
    assertArrayEquals(before, first.head().parameters());
  }

  @Test
  void weighingWrongSelfLabelsDownKeepsTheHumanDirection() {
    PairFeatures human = synthetic(100, 8, 5, 1);
    PairFeatures wrong = synthetic(300, 8, 5, 2); // same utility, then every label flipped
    wrong = new PairFeatures(wrong.rejected(), wrong.chosen());
    PairFeatures all = human.concat(wrong);
    PairFeatures heldOut = synthetic(1000, 8, 5, 3);
    TrainConfig cfg =
        TrainConfig.defaults().withLearningRate(1e-2).withMaxEpochs(60).withPatience(60);
    PairFeatures none = new PairFeatures(new float[0][], new float[0][]);
    RewardTrainer trainer = new RewardTrainer(cfg, Progress.quiet());

    double[] ones = new double[all.size()];
    Arrays.fill(ones, 1.0);
    TrainedHead plain = trainer.train(all, none);
    TrainedHead unit = trainer.weighing(ones).train(all, none);
    assertArrayEquals(
        plain.head().parameters(), unit.head().parameters(), "weights of 1 change nothing");

    double[] low = ones.clone();
    Arrays.fill(low, human.size(), low.length, 0.1);
    TrainedHead weighed = trainer.weighing(low).train(all, none);
    assertTrue(accuracy(plain, heldOut) < 0.3, "300 flipped labels outvote 100 right ones");
    assertTrue(
        accuracy(weighed, heldOut) > 0.8,
        "weighed at 0.1 they count as 30: " + accuracy(weighed, heldOut));
  }
}
