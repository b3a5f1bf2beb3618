package org.ser4j.ser;

import java.util.List;
import org.ser4j.data.GoldLabels;
import org.ser4j.data.split.SerDataset;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.model.learn.TrainingSet;
import org.ser4j.ser.select.LoopStatus;
import org.ser4j.ser.select.PairSelection;

/**
 * What a loop selected (its status, rule, self-labels, the total so far, their precision where the
 * gold is known, the pool left and the diagnostics), and its report once fitted and judged.
 */
record LoopSelection(
    LoopStatus status,
    String rule,
    List<SelfLabel> selected,
    int total,
    Double precision,
    long poolLeft,
    LoopDiagnostics diagnostics) {

  /** A loop that selects nothing (loop 0, or people added labels). */
  static LoopSelection none(LoopStatus status, int total, long poolLeft) {
    return new LoopSelection(status, "-", List.of(), total, null, poolLeft, null);
  }

  /**
   * A loop's picks ({@code picked}) as the filters left them ({@code selected}): {@code before}
   * self-labels were selected in the loops before, {@code poolLeft} pool pairs were candidates;
   * {@code chosenLonger}: whether each of {@code selected} chose the longer answer.
   */
  static LoopSelection picked(
      PairSelection.Picked picked,
      List<SelfLabel> selected,
      int before,
      long poolLeft,
      boolean[] chosenLonger,
      GoldLabels gold,
      double seedLonger,
      SerConfig config) {
    return new LoopSelection(
        picked.status(),
        picked.rule().cliName(),
        selected,
        before + selected.size(),
        LoopDiagnostics.precision(selected, gold),
        poolLeft - selected.stream().filter(x -> !x.pair().built()).count(),
        LoopDiagnostics.of(
            selected,
            chosenLonger,
            gold,
            picked.temperature(),
            seedLonger,
            config.selection().westOfN()));
  }

  /**
   * Loop {@code loop}'s report: this selection, the RM fitted on {@code train} and judged ({@code
   * judged}), its test accuracy and the test pairs' style splits (null without a test set), the
   * seconds it took; with people's labels added, their count and the earlier self-labels they
   * contradicted.
   */
  LoopReport report(
      int loop,
      TrainingSet train,
      LoopJudge.Judged judged,
      SerDataset data,
      Double testAccuracy,
      List<org.ser4j.eval.StyleSplit> styleSplits,
      double seconds,
      int contradicted) {
    boolean added = status == LoopStatus.LABELS_ADDED;
    RewardLearner.Fit fit = judged.fit();
    double loss = judged.evaluation().loss();
    return new LoopReport(
        loop,
        status,
        rule,
        selected.size(),
        total,
        precision,
        poolLeft,
        train.size(),
        fit.best().trainLoss(),
        Double.isNaN(loss) ? 0 : loss,
        judged.evaluation().accuracy(),
        testAccuracy,
        fit.bestEpoch(),
        seconds,
        diagnostics,
        data.gold().known() ? null : expectedPrecision(),
        added ? data.added().pairs() : null,
        added ? contradicted : null,
        views(fit),
        fit.details().get("debias") instanceof org.ser4j.model.head.StyleFit f ? f.toMap() : null,
        styleSplits);
  }

  /** The mean probability the RM gave its self-labels' chosen answers; null for none. */
  private Double expectedPrecision() {
    return selected.isEmpty()
        ? null
        : selected.stream().mapToDouble(SelfLabel::confidence).average().getAsDouble();
  }

  /** A co-trained fit's figures per view ({@code CoTraining}); null for one model. */
  @SuppressWarnings("unchecked")
  private static java.util.Map<String, Object> views(RewardLearner.Fit fit) {
    return (java.util.Map<String, Object>) fit.details().get("views");
  }
}
