package org.ser4j.ser;

import io.soabase.recordbuilder.core.RecordBuilder;
import org.ser4j.model.head.TrainConfig;
import org.ser4j.ser.select.ConfidenceScale;
import org.ser4j.ser.select.SelectionOptions;
import org.ser4j.ser.select.SelectionRule;
import org.ser4j.ser.select.Thresholds;

/**
 * The SER loop's settings.
 *
 * @param rule which pairs are selected (default {@link SelectionRule#BOTH}, as the reference code)
 * @param maxLoops loops after Loop 0 (default 4)
 * @param minNew stop when a loop selects fewer new pairs than this (default 10)
 * @param warmStart retrain from the previous loop's head instead of from scratch (default false)
 * @param validationFraction share of the labeled seed held out to early-stop training and judge
 *     loops (never the test set)
 * @param keepLast keep the last loop's RM and run every loop (as the paper), instead of stopping
 *     when validation accuracy falls and keeping the best-judged loop (default false)
 * @param scale how rewards become the probabilities the thresholds read (default {@link
 *     ConfidenceScale#RAW}, the paper's sigmoid(r))
 * @param selection the pair-confidence rule's settings and the bias control
 * @param decisionFolds K >= 2 (default {@value #DEFAULT_DECISION_FOLDS}): judge loops (keep, stop)
 *     and calibrate by K-fold cross-validation over the whole labeled seed, one SER run per fold,
 *     and fit each loop's RM on the whole seed for the folds' median best epoch; 0: a held-out
 *     validation slice of {@code validationFraction} (the CLI's choice with a learning encoder)
 * @param selfLabelWeight a self-labeled pair's weight in the loss against 1 for a human label
 *     (default {@value #DEFAULT_SELF_LABEL_WEIGHT}, measured best with a frozen encoder; a
 *     fine-tuned encoder takes only 1; null in a run.json written before the field: 1)
 */
@RecordBuilder
public record SerConfig(
    SelectionRule rule,
    Thresholds thresholds,
    int maxLoops,
    int minNew,
    boolean warmStart,
    double validationFraction,
    boolean keepLast,
    TrainConfig train,
    ConfidenceScale scale,
    SelectionOptions selection,
    int decisionFolds,
    Double selfLabelWeight)
    implements SerConfigBuilder.With {
  public SerConfig {
    // run.json files written before these fields existed
    scale = scale == null ? ConfidenceScale.RAW : scale;
    selection = selection == null ? SelectionOptions.defaults() : selection;
    selfLabelWeight = selfLabelWeight == null ? 1.0 : selfLabelWeight;
    if (!(selfLabelWeight > 0 && selfLabelWeight <= 1)) {
      throw new IllegalArgumentException(
          "--self-label-weight must be auto or in (0, 1], got " + selfLabelWeight);
    }
    if (decisionFolds == 1 || decisionFolds < 0) {
      throw new IllegalArgumentException(
          "--decision-folds must be auto, 0 (validation slice) or at least 2, got "
              + decisionFolds);
    }
    if (maxLoops < 0 || minNew < 1) {
      throw new IllegalArgumentException(
          "--max-loops must be >= 0 and --min-new >= 1, got " + maxLoops + " and " + minNew);
    }
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "--validation-fraction must be in [0, 1), got " + validationFraction);
    }
  }

  /** Whether loops are judged by cross-validation over the seed instead of a validation slice. */
  public boolean crossValidated() {
    return decisionFolds >= 2;
  }

  /**
   * SeedSplit.Folds of cross-validated decisions, the default with a frozen encoder (measured
   * best).
   */
  public static final int DEFAULT_DECISION_FOLDS = 5;

  /**
   * A self-label's weight with a frozen encoder, the best measured (README, "Pairs built, not only
   * filtered"): AlpacaEval at 5% labels +1.4 points over weight 1, level on HH and UltraFeedback.
   */
  public static final double DEFAULT_SELF_LABEL_WEIGHT = 0.1;

  public static SerConfig defaults() {
    return new SerConfig(
        SelectionRule.BOTH,
        Thresholds.paper(),
        4,
        10,
        false,
        0.1,
        false,
        TrainConfig.defaults(),
        ConfidenceScale.RAW,
        SelectionOptions.defaults(),
        DEFAULT_DECISION_FOLDS,
        DEFAULT_SELF_LABEL_WEIGHT);
  }
}
