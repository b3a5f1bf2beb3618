package org.ser4j.cli;

import org.ser4j.model.head.TrainConfig;
import org.ser4j.ser.SerConfig;
import org.ser4j.ser.select.ConfidenceScale;
import org.ser4j.ser.select.SelectionOptions;
import org.ser4j.ser.select.SelectionRule;
import org.ser4j.ser.select.Thresholds;
import picocli.CommandLine.Option;

/** The SER loop's options, defaults from the paper and its reference code. */
public final class SerOptions {
  @Option(
      names = "--selection",
      paramLabel = "RULE",
      defaultValue = "both",
      description =
          "Which confident pairs are kept: both (either rule, as the reference code), good-bad, difference, auto (the rule that is right more often on the validation slice, per loop), "
              + "or pair-confidence (max(P, 1 - P) >= --min-pair-confidence with P = sigmoid((r1 - r2) / T), T fitted on held-out labeled pairs) (default: ${DEFAULT-VALUE}).")
  String selection;

  @Option(
      names = "--tau-high",
      paramLabel = "X",
      defaultValue = "0.55",
      description = "good-bad: one answer's sigmoid(r) above this (default: ${DEFAULT-VALUE}).")
  double tauHigh;

  @Option(
      names = "--tau-low",
      paramLabel = "X",
      defaultValue = "0.45",
      description = "good-bad: the other's below this (default: ${DEFAULT-VALUE}).")
  double tauLow;

  @Option(
      names = "--delta",
      paramLabel = "X",
      defaultValue = "0.3",
      description = "difference: |s1 - s2| above this (default: ${DEFAULT-VALUE}).")
  double delta;

  @Option(
      names = "--max-loops",
      paramLabel = "N",
      defaultValue = "4",
      description = "Loops after Loop 0 (default: ${DEFAULT-VALUE}).")
  int maxLoops;

  @Option(
      names = "--min-new",
      paramLabel = "N",
      defaultValue = "10",
      description = "Stop when a loop selects fewer new pairs (default: ${DEFAULT-VALUE}).")
  int minNew;

  @Option(
      names = "--warm-start",
      description =
          "Retrain each loop from the previous loop's head instead of from scratch (default: ${DEFAULT-VALUE}).")
  boolean warmStart;

  @Option(
      names = "--keep",
      paramLabel = "WHICH",
      defaultValue = "best",
      description =
          "Which loop's RM is the result: best (the loop judged best: out of fold with --decision-folds, else on the validation slice; and stop when the judged accuracy falls) or last (run every loop, as the paper) (default: ${DEFAULT-VALUE}).")
  String keep;

  @Option(
      names = "--selection-scale",
      paramLabel = "HOW",
      defaultValue = "raw",
      description =
          "How the thresholds read rewards: raw (s = sigmoid(r), as the paper) or pool (s = sigmoid((r - mean) / std) over the pool's rewards, for small RMs whose rewards spread over a few tenths) (default: ${DEFAULT-VALUE}).")
  String rewardScale;

  @Option(
      names = "--min-pair-confidence",
      paramLabel = "P",
      defaultValue = "0.8",
      description =
          "pair-confidence: keep a pair when its calibrated confidence max(P, 1 - P) is at least this (default: ${DEFAULT-VALUE}).")
  double minConfidence;

  @Option(
      names = "--target-precision",
      paramLabel = "P",
      defaultValue = "0",
      description =
          "pair-confidence: keep only the most confident pairs, as many as keep their mean calibrated confidence (expected precision) at or above this; 0 = off (default: ${DEFAULT-VALUE}).")
  double targetPrecision;

  @Option(
      names = "--calibration-folds",
      paramLabel = "K",
      defaultValue = "5",
      description =
          "pair-confidence: fit the temperature T on out-of-fold margins of the labeled seed (K extra fits per loop); 0 = on the validation slice alone (default: ${DEFAULT-VALUE}).")
  int calibrationFolds;

  @Option(
      names = "--balance-length",
      description =
          "Any rule: drop the least confident selected pairs of the over-represented kind until the share where the chosen answer is the longer one matches the labeled seed's (default: ${DEFAULT-VALUE}).")
  boolean balanceLength;

  @Option(
      names = "--reviewers",
      paramLabel = "K",
      defaultValue = "0",
      description =
          "Any rule: a second opinion from K RMs, each fitted on a bootstrap sample of the seed; a selected pair is kept only where all K prefer the same answer; 0 = off (default: ${DEFAULT-VALUE}).")
  int reviewers;

  @Option(
      names = "--west-of-n",
      description =
          "Any rule: also build pairs (West-of-N): for each prompt with three or more distinct answers in the pool, the RM's best against its worst answer, kept when the rule finds it confident; one per prompt and run, beside the pool's own pairs (default: ${DEFAULT-VALUE}).")
  boolean westOfN;

  @Option(
      names = "--decision-folds",
      paramLabel = "K",
      defaultValue = "auto",
      description =
          "K >= 2: judge loops (which to keep, when to stop) and pair-confidence's calibration by K-fold cross-validation over the whole labeled seed: beside the main run, one SER run per fold selects its own self-labels and is judged on its held-out fold (K extra fits and pool scorings per loop); each loop's RM is then trained on the whole seed plus its self-labels for the folds' median best epoch. 0 = a held-out validation slice (--validation-fraction). auto = 5 with a frozen encoder, 0 with --finetune (folds would fine-tune the encoder K more times) (default: ${DEFAULT-VALUE}).")
  String decisionFolds;

  @Option(
      names = "--self-label-weight",
      paramLabel = "W",
      defaultValue = "auto",
      description =
          "A self-labeled pair's weight in the loss, against 1 for a human-labeled one; auto = 0.1 with a frozen encoder (the best measured: AlpacaEval at 5%% labels +1.4 points over weight 1, level on HH-RLHF and UltraFeedback), 1 with --finetune (the only weight a learning encoder takes) (default: ${DEFAULT-VALUE}).")
  String selfLabelWeight;

  /** The loop's settings; {@code fineTuned}: the encoder learns (decides --decision-folds auto). */
  SerConfig toConfig(TrainConfig train, boolean fineTuned) {
    double weight =
        AutoOr.number(
            "--self-label-weight",
            selfLabelWeight,
            fineTuned ? 1 : SerConfig.DEFAULT_SELF_LABEL_WEIGHT);
    double k =
        AutoOr.number(
            "--decision-folds", decisionFolds, fineTuned ? 0 : SerConfig.DEFAULT_DECISION_FOLDS);
    int folds = (int) k;
    if (folds != k) {
      throw new IllegalArgumentException(
          "--decision-folds must be auto, 0 (validation slice) or at least 2, got "
              + decisionFolds);
    }
    if (!keep.equals("last") && !keep.equals("best")) {
      throw new IllegalArgumentException("--keep must be best or last, got '" + keep + "'");
    }
    // SerConfig checks its own ranges, for the Java API as for the CLI.
    return new SerConfig(
        SelectionRule.fromName(selection),
        new Thresholds(tauHigh, tauLow, delta),
        maxLoops,
        minNew,
        warmStart,
        train.validationFraction(),
        keep.equals("last"),
        train,
        ConfidenceScale.fromName(rewardScale),
        new SelectionOptions(
            minConfidence, targetPrecision, calibrationFolds, balanceLength, reviewers, westOfN),
        folds,
        weight);
  }
}
