package org.ser4j.model.head;

import org.ser4j.model.EpochLoop;
import org.ser4j.model.Lbfgs;
import org.ser4j.model.Loss;
import org.ser4j.model.PairRewards;
import org.ser4j.util.Progress;

/**
 * Trains a linear head full-batch: the weighted mean Bradley-Terry loss plus (lambda / 2)
 * |theta|^2, minimized by {@link Lbfgs} at each lambda of a path from strong to weak ({@link
 * #PATH}), each solve starting where the last ended. The path runs through the one {@link
 * EpochLoop}, a lambda an "epoch": the kept weights are those of the lambda with the lowest
 * validation loss (with nothing held out, the lowest training loss: the weakest lambda run). Where
 * the training pairs live is the {@link Rows}' business: this process ({@link #inMemory}), or a
 * cluster's executors (ser4j-spark), which sum each pass where the pairs are. The same sums give
 * the same weights to rounding.
 */
public final class FullBatchTrainer {
  /** The L2 strengths tried, strongest first, three a decade: a search range, not a setting. */
  public static final double[] PATH = {
    10, 3, 1, 0.3, 0.1, 0.03, 0.01, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5
  };

  // Each lambda is solved to a gradient this small (the objective's scale is a mean loss, ~0.6).
  private static final double TOLERANCE = 1e-7;
  private static final int MAX_ITERATIONS = 500;

  /** Training pairs (chosen, rejected, weight) wherever they live, summed where they are. */
  public interface Rows extends AutoCloseable {
    /** The per-dimension sums of every chosen and rejected vector (for a fresh normalizer). */
    FeatureNormalizer.Sums featureSums();

    /** One pass of the objective at {@code theta} under standard deviations {@code std}. */
    BradleyTerrySums objective(double[] theta, float[] std);

    /** Training pairs. */
    long size();

    /** Lets go of what holds the pairs (a cluster's cached copy); nothing by default. */
    @Override
    default void close() {}
  }

  /** Pairs held in this process: {@code weights} per pair (null: all 1). */
  public static Rows inMemory(PairFeatures pairs, double[] weights) {
    return new Rows() {
      @Override
      public FeatureNormalizer.Sums featureSums() {
        FeatureNormalizer.Sums s = new FeatureNormalizer.Sums(pairs.chosen()[0].length);
        for (int i = 0; i < pairs.size(); i++) {
          s.add(pairs.chosen()[i]).add(pairs.rejected()[i]);
        }
        return s;
      }

      @Override
      public BradleyTerrySums objective(double[] theta, float[] std) {
        BradleyTerrySums s = new BradleyTerrySums(theta.length);
        for (int i = 0; i < pairs.size(); i++) {
          s.add(
              pairs.chosen()[i], pairs.rejected()[i], weights == null ? 1 : weights[i], theta, std);
        }
        return s;
      }

      @Override
      public long size() {
        return pairs.size();
      }
    };
  }

  private final Progress progress;

  public FullBatchTrainer(Progress progress) {
    this.progress = progress;
  }

  /**
   * Runs {@code path} (lambdas, strongest first) on {@code train}, judged on {@code validation}
   * (raw vectors, here; may be empty), from {@code start} under {@code normalizer}, or from zero
   * with a normalizer fit on {@code train} when they are null. {@code patience}: lambdas without a
   * better validation loss before the path stops. The history has one entry a lambda run.
   */
  public TrainedHead train(
      Rows train,
      PairFeatures validation,
      RewardHead start,
      FeatureNormalizer normalizer,
      double[] path,
      int patience) {
    if (train.size() == 0) {
      throw new IllegalArgumentException("no training pairs");
    }
    FeatureNormalizer norm = normalizer != null ? normalizer : train.featureSums().normalizer();
    int d = norm.std().length;
    double[] theta = new double[d];
    double bias = 0;
    if (start != null) {
      if (!(start instanceof LinearHead)) {
        throw new IllegalArgumentException("a full-batch fit trains a linear head");
      }
      System.arraycopy(start.parameters(), 0, theta, 0, d);
      bias = start.parameters()[d];
    }
    double fixedBias = bias; // the loss does not see it: a warm start keeps it
    PairFeatures val =
        new PairFeatures(norm.apply(validation.chosen()), norm.apply(validation.rejected()));
    double[][] current = {theta};
    double[][] best = {theta.clone()};
    Lbfgs lbfgs = new Lbfgs(MAX_ITERATIONS, TOLERANCE);
    EpochLoop.Trainee trainee =
        new EpochLoop.Trainee() {
          @Override
          public double trainEpoch(int step) {
            double lambda = path[step - 1];
            Lbfgs.Result r =
                lbfgs.minimize(
                    th -> {
                      BradleyTerrySums s = train.objective(th, norm.std());
                      double[] g = s.gradient();
                      double penalty = 0;
                      for (int a = 0; a < d; a++) {
                        g[a] = g[a] / s.weight() + lambda * th[a];
                        penalty += th[a] * th[a];
                      }
                      return new Lbfgs.ValueAndGradient(
                          s.loss() / s.weight() + lambda / 2 * penalty, g);
                    },
                    current[0]);
            current[0] = r.x();
            BradleyTerrySums at = train.objective(r.x(), norm.std());
            return at.loss() / at.weight();
          }

          @Override
          public Loss.Evaluation validate() {
            LinearHead h = head(current[0], fixedBias);
            double[] c = new double[val.size()];
            double[] rj = new double[val.size()];
            h.scoreRows(val.chosen(), null, 0, val.size(), c);
            h.scoreRows(val.rejected(), null, 0, val.size(), rj);
            return Loss.PAIRWISE.evaluate(new PairRewards(c, rj));
          }

          @Override
          public void keepBest() {
            best[0] = current[0].clone();
          }
        };
    try (Progress.Task task = progress.start("full-batch fit", path.length, "lambdas")) {
      EpochLoop.Result r =
          EpochLoop.run(
              path.length,
              patience,
              val.size() > 0,
              train.size(),
              trainee,
              EpochLoop.reporting(task));
      return new TrainedHead(
          head(best[0], fixedBias), norm, r.history(), r.bestEpoch(), val.size());
    }
  }

  private static LinearHead head(double[] theta, double bias) {
    double[] p = java.util.Arrays.copyOf(theta, theta.length + 1);
    p[theta.length] = bias;
    return new LinearHead(theta.length, p);
  }
}
