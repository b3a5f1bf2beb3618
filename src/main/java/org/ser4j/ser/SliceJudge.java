package org.ser4j.ser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.split.SeedSplit;
import org.ser4j.model.Loss;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.model.learn.TrainingSet;
import org.ser4j.ser.select.PairConfidence;

/**
 * Loops judged on a held-out validation slice of the seed, which also early-stops every fit.
 * Pair-confidence's T is fitted on out-of-fold margins of the seed's training part ({@code
 * --calibration-folds}), or on the slice with fewer than two folds.
 */
final class SliceJudge implements LoopJudge {
  private final RewardLearner learner;
  private final SerConfig config;
  private final long seed;
  private final SeedSplit split;
  private final TrainingSet validation;

  SliceJudge(RewardLearner learner, SerConfig config, long seed, SeedSplit split) {
    this.learner = learner;
    this.config = config;
    this.seed = seed;
    this.split = split;
    this.validation = TrainingSet.labeled(split.validation());
  }

  @Override
  public int[] train() {
    return split.train();
  }

  @Override
  public TrainingSet validation() {
    return validation;
  }

  @Override
  public boolean judges() {
    return validation.size() > 0;
  }

  @Override
  public Judged fit(int loop, TrainingSet train, TrainedModel start) throws IOException {
    RewardLearner.Fit fit = learner.fit(train, validation, seed + loop, start);
    double loss = fit.best().validationLoss();
    return new Judged(
        fit, new Loss.Evaluation(loss, learner.rewards(fit.model(), validation).accuracy()));
  }

  @Override
  public double temperature(TrainedModel current, List<SelfLabel> selfLabels, int loop)
      throws IOException {
    if (Math.min(config.selection().calibrationFolds(), split.train().length) < 2) {
      return PairConfidence.fitTemperature(learner.rewards(current, validation).margins());
    }
    return PairConfidence.fitTemperature(outOfFoldMargins(selfLabels, loop));
  }

  /**
   * Scores each calibration fold of the seed's training part (drawn by the seed and {@code loop})
   * with a model fitted, as loop {@code loop}'s RM is, on the other folds plus {@code selfLabels},
   * early-stopped on the slice.
   */
  private double[] outOfFoldMargins(List<SelfLabel> selfLabels, int loop) throws IOException {
    SeedSplit.Folds dealt =
        SeedSplit.Folds.of(split.train(), config.selection().calibrationFolds(), seed + loop);
    List<Double> margins = new ArrayList<>();
    learner
        .progress()
        .asOneTask(
            "calibration folds",
            dealt.size(),
            "fits",
            task -> {
              for (int f = 0; f < dealt.size(); f++) {
                TrainingSet train =
                    new TrainingSet(dealt.others(f), selfLabels, config.selfLabelWeight());
                TrainedModel m = learner.fit(train, validation, seed + loop, null).model();
                for (double x :
                    learner.rewards(m, TrainingSet.labeled(dealt.heldOut()[f])).margins()) {
                  margins.add(x);
                }
                task.step(1);
              }
            });
    return margins.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
