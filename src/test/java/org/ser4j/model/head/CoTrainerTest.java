package org.ser4j.model.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ser4j.util.Progress;

/**
 * The co-training rules on synthetic two-view features (4 wide each), where each view's truth is
 * known.
 */
class CoTrainerTest {
  static final int W = 4;

  /**
   * Pairs whose view-A slice differs by {@code a} on feature 0 and view-B slice by {@code b}; a
   * view with 0 sees the same vector in both answers (no opinion: probability 0.5).
   */
  static PairFeatures pairs(int n, double a, double b, SplittableRandom random) {
    float[][] c = new float[n][];
    float[][] r = new float[n][];
    for (int i = 0; i < n; i++) {
      c[i] = new float[2 * W];
      r[i] = new float[2 * W];
      for (int k = 0; k < 2 * W; k++) {
        c[i][k] = (float) random.nextGaussian();
        r[i][k] = (float) random.nextGaussian();
      }
      c[i][0] += (float) a;
      c[i][W] += (float) b;
      for (int v = 0; v < 2; v++) {
        if ((v == 0 ? a : b) == 0) {
          System.arraycopy(c[i], v * W, r[i], v * W, W);
        }
      }
    }
    return new PairFeatures(c, r);
  }

  static TrainConfig config(boolean onlyUnsure, boolean ensemble) {
    return TrainConfig.defaults()
        .withLearningRate(0.05)
        .withMaxEpochs(60)
        .withCoTraining(new CoTraining(0.8, onlyUnsure, ensemble, false));
  }

  static PairFeatures none() {
    return new PairFeatures(new float[0][], new float[0][]);
  }

  @Test
  void aSelfLabelTrainsOnlyTheViewsTheOtherViewsVouchForIt() {
    SplittableRandom random = new SplittableRandom(1);
    PairFeatures seed = pairs(300, 2.5, 2.5, random); // both views learn feature 0 from people
    PairFeatures onlyA = pairs(40, 4, 0, random); // A sure, B sees nothing
    PairFeatures onlyB = pairs(30, 0, 4, random); // B sure, A sees nothing
    PairFeatures both = pairs(20, 4, 4, random);
    PairFeatures self = onlyA.concat(onlyB).concat(both);

    CoTrainer.Result others =
        new CoTrainer(config(false, true), 2, Progress.quiet())
            .fit(seed, self, 1.0, none(), none());
    // View A (0) is taught what B vouches for: onlyB and both; view B what A vouches for.
    assertTrue(
        others.vouched()[0] >= 30 + 20 - 6 && others.vouched()[0] <= 30 + 20,
        "A: " + others.vouched()[0]);
    assertTrue(
        others.vouched()[1] >= 40 + 20 - 6 && others.vouched()[1] <= 40 + 20,
        "B: " + others.vouched()[1]);

    CoTrainer.Result unsure =
        new CoTrainer(config(true, true), 2, Progress.quiet()).fit(seed, self, 1.0, none(), none());
    // Only where the learning view is itself unsure: the pairs both are sure of drop out.
    assertTrue(
        unsure.vouched()[0] >= 30 - 6 && unsure.vouched()[0] <= 30 + 3,
        "A: " + unsure.vouched()[0]);
    assertTrue(
        unsure.vouched()[1] >= 40 - 6 && unsure.vouched()[1] <= 40 + 3,
        "B: " + unsure.vouched()[1]);
  }

  @Test
  void theEnsembleIsTheViewsMeanOfStandardizedRewardsAsOneLinearHead() {
    SplittableRandom random = new SplittableRandom(2);
    PairFeatures seed = pairs(200, 1.5, 0.7, random);
    PairFeatures self = pairs(50, 3, 3, random);
    CoTrainer.Result r =
        new CoTrainer(config(false, true), 2, Progress.quiet())
            .fit(seed, self, 0.5, none(), none());
    // Independently: each view's reward on its slice, standardized over the seed's answers.
    double[][] mu = new double[2][2]; // [view] = {mean, sd}
    for (int v = 0; v < 2; v++) {
      List<Double> rs = new ArrayList<>();
      PairFeatures s = CoTrainer.slice(seed, v, W);
      for (int i = 0; i < s.size(); i++) {
        rs.add(score(r.views()[v], s.chosen()[i]));
        rs.add(score(r.views()[v], s.rejected()[i]));
      }
      double m = rs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      double var = rs.stream().mapToDouble(x -> (x - m) * (x - m)).average().orElseThrow();
      mu[v] = new double[] {m, Math.sqrt(var)};
    }
    for (int t = 0; t < 20; t++) {
      float[] x = pairs(1, 0, 0, random).chosen()[0];
      double expected = 0;
      for (int v = 0; v < 2; v++) {
        float[] slice = java.util.Arrays.copyOfRange(x, v * W, (v + 1) * W);
        expected += (score(r.views()[v], slice) - mu[v][0]) / mu[v][1] / 2;
      }
      assertEquals(expected, score(r.head(), x), 1e-5);
    }
  }

  @Test
  void anyViewSelectionTakesEachPairsMarginFromTheViewSurestOfIt() {
    SplittableRandom random = new SplittableRandom(3);
    PairFeatures seed = pairs(200, 1.5, 1.5, random);
    CoTrainer.Result r =
        new CoTrainer(config(false, true), 2, Progress.quiet())
            .fit(seed, none(), 1.0, none(), none());
    HeadModel folded =
        new HeadModel(
            null, r.head().normalizer(), r.head().head(), org.ser4j.model.Provenance.UNKNOWN);
    PairFeatures pool = pairs(30, 3, 0, random).concat(pairs(30, 0, 3, random));
    org.ser4j.model.PairRewards surest =
        CoTrainer.surestView(
            folded,
            2,
            m -> new org.ser4j.model.PairRewards(m.score(pool.chosen()), m.score(pool.rejected())));
    for (int i = 0; i < pool.size(); i++) {
      int v = i < 30 ? 0 : 1; // the view that sees the pair
      float[] c = java.util.Arrays.copyOfRange(pool.chosen()[i], v * W, (v + 1) * W);
      float[] rj = java.util.Arrays.copyOfRange(pool.rejected()[i], v * W, (v + 1) * W);
      double sd = sdOverSeed(r.views()[v], CoTrainer.slice(seed, v, W));
      double expected = (score(r.views()[v], c) - score(r.views()[v], rj)) / sd;
      assertEquals(expected, surest.chosen()[i] - surest.rejected()[i], 1e-4, "pair " + i);
    }
  }

  static double sdOverSeed(TrainedHead h, PairFeatures s) {
    List<Double> rs = new ArrayList<>();
    for (int i = 0; i < s.size(); i++) {
      rs.add(score(h, s.chosen()[i]));
      rs.add(score(h, s.rejected()[i]));
    }
    double m = rs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    return Math.sqrt(rs.stream().mapToDouble(x -> (x - m) * (x - m)).average().orElseThrow());
  }

  static double score(TrainedHead h, float[] x) {
    return h.head().score(h.normalizer().apply(x));
  }

  @Test
  void coTrainingWantsLinearHeadsAndSeveralViews() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new CoTrainer(config(false, true).withHead(HeadType.MLP), 2, Progress.quiet()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new CoTrainer(config(false, true), 1, Progress.quiet()));
  }
}
