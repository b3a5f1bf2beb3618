package org.ser4j.ser;

import java.io.IOException;
import java.util.List;
import org.ser4j.model.Loss;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.model.learn.TrainingSet;

/**
 * Step 4 of a SER loop: how a loop's RM is fitted and judged, the figure {@link KeepRule} keeps and
 * stops by. On a validation slice of the seed ({@link SliceJudge}), or by cross-validation over the
 * whole seed, one SER run per fold ({@link FoldJudge}). The judge also says how calibrated the
 * current RM is: pair confidence's temperature comes from the pairs it judges on.
 */
public interface LoopJudge {
  /** The seed positions every loop's RM trains on. */
  int[] train();

  /** The labeled pairs that side fits early-stop on and {@code auto} reads; none with folds. */
  TrainingSet validation();

  /** Whether its figures can show a fall (false: a slice of nothing judges nothing). */
  boolean judges();

  /**
   * Fits loop {@code loop}'s RM on {@code train}, from {@code start} (a warm start) or from the
   * pretrained start when null, and judges it.
   */
  Judged fit(int loop, TrainingSet train, TrainedModel start) throws IOException;

  /**
   * Pair confidence's T for {@code current}, the RM of loop {@code loop - 1}, trained on the seed
   * plus {@code selfLabels}.
   */
  double temperature(TrainedModel current, List<SelfLabel> selfLabels, int loop) throws IOException;

  /** On resume after loop {@code last}: brings the judge's own state back to where it was. */
  default void resume(int last) throws IOException {}

  /**
   * How the seed's {@code labeled} pairs divide between training and the judge: all of them train
   * when the judge cross-validates; else a seeded validation slice is held out.
   */
  static org.ser4j.data.split.SeedSplit seedSplit(SerConfig config, int labeled, long seed) {
    return config.crossValidated()
        ? org.ser4j.data.split.SeedSplit.whole(labeled)
        : org.ser4j.data.split.SeedSplit.of(labeled, config.validationFraction(), seed);
  }

  /**
   * The judge {@code config} asks for: cross-validated over the whole seed ({@link FoldJudge},
   * whose fold runs pick with {@code foldSelection}, each from what {@code newTaken} leaves it: the
   * pool less the pairs people labeled), or on the validation slice of {@code split} ({@link
   * SliceJudge}).
   */
  static LoopJudge of(
      RewardLearner learner,
      SerConfig config,
      long seed,
      org.ser4j.data.split.SeedSplit split,
      java.util.function.Supplier<org.ser4j.ser.select.Taken> newTaken,
      FoldJudge.FoldSelection foldSelection,
      java.util.function.Supplier<List<SelfLabel>> newSelfLabels) {
    return config.crossValidated()
        ? new FoldJudge(
            learner, config, seed, split.train(), newTaken, foldSelection, newSelfLabels)
        : new SliceJudge(learner, config, seed, split);
  }

  /** A loop's fit and its judged loss and accuracy. */
  record Judged(RewardLearner.Fit fit, Loss.Evaluation evaluation) {}
}
