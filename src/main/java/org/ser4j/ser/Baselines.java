package org.ser4j.ser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.SeedSplit;
import org.ser4j.data.SerDataset;
import org.ser4j.data.UnlabeledPair;

/**
 * The paper's "full" baseline: the RM trained on every training pair with its human label (the
 * seed's training part plus the whole pool, oriented by the gold labels), early-stopped on the same
 * validation slice as SER, so that the three RMs differ only in their training labels.
 */
public final class Baselines {
  private Baselines() {}

  /** The full-label RM and its test accuracy. */
  public record Full(org.ser4j.model.TrainedModel model, double testAccuracy) {}

  /** Trains the full-label RM with {@code learner} (already loaded with {@code data}). */
  public static Full fullLabels(SerDataset data, RewardLearner learner, SerConfig config, long seed)
      throws IOException {
    SeedSplit split = SeedSplit.of(data.labeled().size(), config.validationFraction(), seed);
    List<SelfLabel> gold = new ArrayList<>(data.pool().size());
    for (UnlabeledPair p : data.pool()) {
      gold.add(
          new SelfLabel(
              Comparison.of(p), data.gold().firstPreferred(p), Double.NaN, Double.NaN, 0));
    }
    var model =
        learner
            .fit(
                new TrainingSet(split.train(), gold),
                TrainingSet.labeled(split.validation()),
                seed,
                null)
            .model();
    return new Full(model, learner.testRewards(model).accuracy());
  }
}
