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

  /** A loop's fit and its judged loss and accuracy. */
  record Judged(RewardLearner.Fit fit, Loss.Evaluation evaluation) {}
}
