package org.ser4j.ser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.split.SeedSplit;
import org.ser4j.data.split.SerDataset;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.Comparison;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.model.learn.TrainingSet;

/**
 * The paper's "full" baseline: the RM trained on every training pair with its human label (the seed
 * plus the whole pool, oriented by the gold labels), fitted and judged as SER's loops are, so that
 * the three RMs differ only in their training labels: on the seed's training part, early-stopped on
 * the same validation slice; or, with cross-validated decisions, for the median best epoch of the
 * same folds of the seed (each fold's fit on the other folds plus the whole pool, early-stopped on
 * the fold), then on everything.
 */
public final class Baselines {
  private Baselines() {}

  /** The full-label RM and its test accuracy. */
  public record Full(org.ser4j.model.TrainedModel model, double testAccuracy) {}

  /** Trains the full-label RM with {@code learner} (already loaded with {@code data}). */
  public static Full fullLabels(SerDataset data, RewardLearner learner, SerConfig config, long seed)
      throws IOException {
    int n = data.labeled().size();
    List<SelfLabel> gold = new ArrayList<>(data.pool().size());
    for (UnlabeledPair p : data.pool()) {
      gold.add(SelfLabel.human(Comparison.of(p), data.gold().firstPreferred(p)));
    }
    TrainedModel model;
    if (!config.crossValidated()) {
      SeedSplit split = SeedSplit.of(n, config.validationFraction(), seed);
      model =
          learner
              .fit(
                  new TrainingSet(split.train(), gold),
                  TrainingSet.labeled(split.validation()),
                  seed,
                  null)
              .model();
    } else {
      int[] all = java.util.stream.IntStream.range(0, n).toArray();
      SeedSplit.Folds folds = SeedSplit.Folds.of(all, config.decisionFolds(), seed);
      int[] bestEpochs = new int[folds.size()];
      for (int f = 0; f < folds.size(); f++) {
        bestEpochs[f] =
            learner
                .fit(
                    new TrainingSet(folds.others(f), gold),
                    TrainingSet.labeled(folds.heldOut()[f]),
                    seed,
                    null)
                .bestEpoch();
      }
      model =
          learner
              .fitEpochs(new TrainingSet(all, gold), FoldJudge.median(bestEpochs), seed, null)
              .model();
    }
    return new Full(model, learner.testRewards(model).accuracy());
  }
}
