package org.ser4j.ser.select;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ser4j.model.Loss;
import org.ser4j.model.PairRewards;
import org.ser4j.model.RewardScale;
import org.ser4j.model.learn.Comparison;
import org.ser4j.model.learn.SelfLabel;

/**
 * Step 2 of a SER loop: keep the pool pairs the RM is confident about, self-labeled. Serializable:
 * a rule that decides each pair alone ships it to where a pool is scored.
 */
public final class Selector implements java.io.Serializable {
  private final Thresholds thresholds;
  private final RewardScale scale;

  /** Reads rewards as the paper does: s = sigmoid(r). */
  public Selector(Thresholds thresholds) {
    this(thresholds, RewardScale.NONE);
  }

  private Selector(Thresholds thresholds, RewardScale scale) {
    this.thresholds = thresholds;
    this.scale = scale;
  }

  /**
   * This selector under {@code how}: for {@link ConfidenceScale#POOL}, one that reads s =
   * sigmoid((r - mean) / std) with mean and std over all rewards in {@code r1} and {@code r2} (std
   * 1 when they are all equal: nothing is confident then either way).
   */
  public Selector scaledFor(ConfidenceScale how, double[] r1, double[] r2) {
    if (how == ConfidenceScale.RAW || r1.length + r2.length < 2) {
      return this;
    }
    double[] all = Arrays.copyOf(r1, r1.length + r2.length);
    System.arraycopy(r2, 0, all, r1.length, r2.length);
    boolean constant = Arrays.stream(all).allMatch(r -> r == all[0]);
    return new Selector(
        thresholds,
        constant ? new RewardScale("zscore", all[0], 1, 0, 0, 0) : RewardScale.zscore(all));
  }

  /**
   * This selector reading s = sigmoid((r - mean) / std) with a pool's {@code mean} and {@code std}
   * computed elsewhere; std 0 (every reward one number) reads std 1, as {@link #scaledFor} does.
   */
  public Selector scaledBy(double mean, double std) {
    return new Selector(thresholds, new RewardScale("zscore", mean, std > 0 ? std : 1, 0, 0, 0));
  }

  public double center() {
    return scale.mean();
  }

  public double spread() {
    return scale.std();
  }

  public Thresholds thresholds() {
    return thresholds;
  }

  /** s = sigmoid((r - center) / spread); sigmoid(r) unless scaled for a pool. */
  public double probabilityGood(double reward) {
    return Loss.sigmoid(scale.apply(reward));
  }

  /**
   * Selects from {@code pool}, whose answers got rewards {@code r1[i]} and {@code r2[i]}, by a
   * concrete rule; returns the self-labels in pool order.
   */
  public List<SelfLabel> select(
      List<Comparison> pool, double[] r1, double[] r2, SelectionRule rule, int loop) {
    List<SelfLabel> out = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      double s1 = probabilityGood(r1[i]);
      double s2 = probabilityGood(r2[i]);
      if (thresholds.keeps(rule, s1, s2)) {
        out.add(SelfLabel.of(pool.get(i), s1, s2, loop));
      }
    }
    return out;
  }

  /**
   * The learning status a set of selections shows: good-bad when most selected pairs satisfy the
   * good-vs-bad rule, else difference.
   */
  public LoopStatus status(List<SelfLabel> selected) {
    int goodBad = 0;
    for (SelfLabel s : selected) {
      goodBad += thresholds.goodVsBad(s.s1(), s.s2()) ? 1 : 0;
    }
    return selected.isEmpty()
        ? LoopStatus.NONE
        : goodBad * 2 >= selected.size() ? LoopStatus.GOOD_BAD : LoopStatus.DIFFERENCE;
  }

  /**
   * AUTO's choice: the rule whose selections on labeled pairs (rewards of the preferred and the
   * other answer) are right most often; a rule that selects nothing counts as precision 0.
   */
  public SelectionRule resolveAuto(PairRewards labeled) {
    double[] preferred = labeled.chosen();
    double[] other = labeled.rejected();
    double[] precision = new double[2];
    SelectionRule[] rules = {SelectionRule.GOOD_BAD, SelectionRule.DIFFERENCE};
    for (int k = 0; k < 2; k++) {
      int kept = 0;
      int right = 0;
      for (int i = 0; i < preferred.length; i++) {
        double sp = probabilityGood(preferred[i]);
        double so = probabilityGood(other[i]);
        if (thresholds.keeps(rules[k], sp, so)) {
          kept++;
          right += sp > so ? 1 : 0;
        }
      }
      precision[k] = kept == 0 ? 0 : (double) right / kept;
    }
    return precision[1] > precision[0] ? SelectionRule.DIFFERENCE : SelectionRule.GOOD_BAD;
  }
}
