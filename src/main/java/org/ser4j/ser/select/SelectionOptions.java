package org.ser4j.ser.select;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Settings of the pair-confidence rule and of the bias control, apart from the paper's thresholds.
 *
 * @param minConfidence pair-confidence: keep a pair when max(P, 1 - P) is at least this (0.8, as
 *     SSRM)
 * @param targetPrecision pair-confidence: of those, keep only the most confident, as many as keep
 *     the mean calibrated confidence (the expected precision) at or above this; 0 = off
 * @param calibrationFolds pair-confidence: the temperature T is fitted on out-of-fold margins of
 *     the seed's training part, from this many extra fits per loop; 0 = on the validation slice
 *     alone
 * @param balanceLength any rule: drop the least confident selected pairs of the over-represented
 *     kind until the share where the chosen answer is the longer one matches the labeled seed's
 * @param reviewers any rule: a second opinion; this many RMs, each fitted on a bootstrap sample of
 *     the seed's training part (plus the self-labels so far), must all prefer the same answer as
 *     the selection, else the pair is dropped; 0 = off
 * @param westOfN any rule: also build pairs ({@link WestOfN}): per prompt with three or more
 *     distinct pool answers, the RM's best against its worst, judged by the same rule
 */
public record SelectionOptions(
    @JsonProperty("min_confidence") double minConfidence,
    @JsonProperty("target_precision") double targetPrecision,
    @JsonProperty("calibration_folds") int calibrationFolds,
    @JsonProperty("balance_length") boolean balanceLength,
    @JsonProperty("reviewers") int reviewers,
    @JsonProperty("west_of_n") boolean westOfN) {

  public static SelectionOptions defaults() {
    return new SelectionOptions(0.8, 0, 5, false, 0, false);
  }

  public SelectionOptions {
    if (!(minConfidence >= 0.5 && minConfidence < 1)) {
      throw new IllegalArgumentException(
          "--min-pair-confidence must be in [0.5, 1), got " + minConfidence);
    }
    if (!(targetPrecision == 0 || (targetPrecision > 0.5 && targetPrecision < 1))) {
      throw new IllegalArgumentException(
          "--target-precision must be 0 (off) or in (0.5, 1), got " + targetPrecision);
    }
    if (reviewers < 0 || reviewers == 1) {
      throw new IllegalArgumentException(
          "--reviewers must be 0 (off) or at least 2, got " + reviewers);
    }
    if (calibrationFolds < 0 || calibrationFolds == 1) {
      throw new IllegalArgumentException(
          "--calibration-folds must be 0 (validation slice) or at least 2, got "
              + calibrationFolds);
    }
  }
}
