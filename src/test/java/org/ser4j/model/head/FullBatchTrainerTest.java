package org.ser4j.model.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ser4j.model.Lbfgs;
import org.ser4j.util.Progress;

/**
 * The full-batch fit: its optimizer on a function with a known minimum, its objective's gradient
 * against finite differences of its loss, its solution against the optimality condition computed by
 * a separate loop, and that it learns preferences a hidden linear reward generated.
 */
class FullBatchTrainerTest {
  private static final int D = 12;

  @Test
  void lbfgsFindsTheRosenbrockMinimum() {
    Lbfgs.Result r =
        new Lbfgs(2000, 1e-10)
            .minimize(
                x -> {
                  double a = 1 - x[0];
                  double b = x[1] - x[0] * x[0];
                  return new Lbfgs.ValueAndGradient(
                      a * a + 100 * b * b, new double[] {-2 * a - 400 * x[0] * b, 200 * b});
                },
                new double[] {-1.2, 1});
    assertTrue(r.converged(), "converged in " + r.iterations());
    assertEquals(1.0, r.x()[0], 1e-8);
    assertEquals(1.0, r.x()[1], 1e-8);
  }

  @Test
  void theObjectivesGradientIsTheDerivativeOfItsLoss() {
    Data d = data(200, 1);
    Random rnd = new Random(2);
    double[] theta = new double[D];
    for (int a = 0; a < D; a++) {
      theta[a] = rnd.nextGaussian() * 0.5;
    }
    float[] std = FeatureNormalizer.fit(d.pairs.chosen(), d.pairs.rejected()).std();
    BradleyTerrySums at = FullBatchTrainer.inMemory(d.pairs, d.weights).objective(theta, std);
    for (int a = 0; a < D; a++) {
      double h = 1e-5;
      double[] up = theta.clone();
      double[] down = theta.clone();
      up[a] += h;
      down[a] -= h;
      double numeric =
          (FullBatchTrainer.inMemory(d.pairs, d.weights).objective(up, std).loss()
                  - FullBatchTrainer.inMemory(d.pairs, d.weights).objective(down, std).loss())
              / (2 * h);
      assertEquals(numeric, at.gradient()[a], 1e-6 * Math.max(1, Math.abs(numeric)), "dim " + a);
    }
  }

  @Test
  void theFitMeetsTheOptimalityConditionAtItsLambda() {
    Data d = data(500, 3);
    double lambda = 1e-3;
    TrainedHead h =
        new FullBatchTrainer(Progress.quiet())
            .train(
                FullBatchTrainer.inMemory(d.pairs, d.weights),
                empty(),
                null,
                null,
                new double[] {lambda},
                1);
    double[] theta = h.head().parameters();
    float[] mean = h.normalizer().mean();
    float[] std = h.normalizer().std();
    // The penalized gradient, computed here from the definition: sum_i w_i (sigma(m_i) - 1) z_i / W
    // + lambda theta, with z_i the standardized chosen vector minus the standardized rejected one.
    double[] g = new double[D];
    double w = 0;
    for (int i = 0; i < d.pairs.size(); i++) {
      double[] z = new double[D];
      double m = 0;
      for (int a = 0; a < D; a++) {
        z[a] =
            (d.pairs.chosen()[i][a] - mean[a]) / (double) std[a]
                - (d.pairs.rejected()[i][a] - mean[a]) / (double) std[a];
        m += theta[a] * z[a];
      }
      double s = 1 / (1 + Math.exp(-m));
      for (int a = 0; a < D; a++) {
        g[a] += d.weights[i] * (s - 1) * z[a];
      }
      w += d.weights[i];
    }
    for (int a = 0; a < D; a++) {
      assertEquals(0, g[a] / w + lambda * theta[a], 1e-7, "dim " + a);
    }
    assertEquals(0, theta[D], 0, "no bias: the loss does not see it");
  }

  @Test
  void thePathLearnsTheHiddenPreferencesAndKeepsTheBestLambda() {
    Data train = data(3000, 4);
    Data validation = data(400, 5);
    Data test = data(2000, 6);
    TrainedHead h =
        new FullBatchTrainer(Progress.quiet())
            .train(
                FullBatchTrainer.inMemory(train.pairs, null),
                validation.pairs,
                null,
                null,
                FullBatchTrainer.PATH,
                1);
    HeadModel m = new HeadModel(null, h.normalizer(), h.head(), org.ser4j.model.Provenance.UNKNOWN);
    int right = 0;
    for (int i = 0; i < test.pairs.size(); i++) {
      right +=
          m.score(new float[][] {test.pairs.chosen()[i]})[0]
                  > m.score(new float[][] {test.pairs.rejected()[i]})[0]
              ? 1
              : 0;
    }
    double accuracy = (double) right / test.pairs.size();
    // The generator's own reward gets test.bayes right; a good fit comes within 3 points of it.
    assertTrue(accuracy > test.bayes - 0.03, accuracy + " vs Bayes " + test.bayes);
    double bestVal = h.best().validationLoss();
    for (var e : h.history()) {
      assertTrue(bestVal <= e.validationLoss() + 1e-6, "kept the lowest validation loss");
    }
  }

  private static PairFeatures empty() {
    return new PairFeatures(new float[0][], new float[0][]);
  }

  /** Pairs labeled by a Bradley-Terry draw from a hidden linear reward; Bayes accuracy too. */
  private record Data(PairFeatures pairs, double[] weights, double bayes) {}

  private static Data data(int n, long seed) {
    Random rnd = new Random(seed);
    Random truth = new Random(99);
    double[] w = new double[D];
    for (int a = 0; a < D; a++) {
      w[a] = truth.nextGaussian();
    }
    float[][] c = new float[n][D];
    float[][] r = new float[n][D];
    double[] weights = new double[n];
    int bayesRight = 0;
    for (int i = 0; i < n; i++) {
      float[] x = new float[D];
      float[] y = new float[D];
      double margin = 0;
      for (int a = 0; a < D; a++) {
        x[a] = (float) (rnd.nextGaussian() * (a + 1) + 3);
        y[a] = (float) (rnd.nextGaussian() * (a + 1) + 3);
        margin += w[a] * (x[a] - y[a]) / (a + 1);
      }
      boolean xWins = rnd.nextDouble() < 1 / (1 + Math.exp(-margin));
      c[i] = xWins ? x : y;
      r[i] = xWins ? y : x;
      bayesRight += (margin > 0) == xWins ? 1 : 0;
      weights[i] = i % 3 == 0 ? 0.5 : 1.0;
    }
    return new Data(new PairFeatures(c, r), weights, (double) bayesRight / n);
  }
}
