package org.ser4j.ser;

import java.io.IOException;
import org.ser4j.data.split.SerDataset;
import org.ser4j.model.PairRewards;
import org.ser4j.model.Provenance;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.RewardLearner;

/**
 * One RM on every labeled pair of a dataset, a seeded validation slice held out for early stopping:
 * what `ser train` and {@code Ser4j.train()} both run. The model comes stamped with its provenance,
 * with its rewards on the test pairs beside it.
 */
public final class Training {
  /**
   * The stamped model, its fit, its rewards on the test pairs (none without a test set), and the
   * seconds spent encoding (loading) and training.
   */
  public record Result(
      TrainedModel model,
      RewardLearner.Fit fit,
      PairRewards test,
      double loadSeconds,
      double trainSeconds) {}

  private Training() {}

  public static Result run(
      RewardLearner learner,
      SerDataset data,
      double validationFraction,
      long seed,
      Provenance provenance)
      throws IOException {
    long t0 = System.nanoTime();
    learner.load(data);
    double loadSeconds = (System.nanoTime() - t0) / 1e9;
    long t1 = System.nanoTime();
    RewardLearner.Fit fit = learner.fitLabeled(data.labeled().size(), validationFraction, seed);
    double trainSeconds = (System.nanoTime() - t1) / 1e9;
    PairRewards test = learner.testRewards(fit.model());
    return new Result(fit.model().withProvenance(provenance), fit, test, loadSeconds, trainSeconds);
  }
}
