package org.ser4j.ser;

import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.model.Loss;

/** Step 2 of a SER loop: keep the pool pairs the RM is confident about, self-labeled. */
public final class Selector {
  private final Thresholds thresholds;
  private final double center;
  private final double spread;

  /** Reads rewards as the paper does: s = sigmoid(r). */
  public Selector(Thresholds thresholds) {
    this(thresholds, 0, 1);
  }

  private Selector(Thresholds thresholds, double center, double spread) {
    this.thresholds = thresholds;
    this.center = center;
    this.spread = spread;
  }

  /**
   * This selector under {@code scale}: for {@link RewardScale#POOL}, one that reads
   * s = sigmoid((r - mean) / std) with mean and std over all rewards in {@code r1} and {@code r2}.
   */
  public Selector scaledFor(RewardScale scale, double[] r1, double[] r2) {
    if (scale == RewardScale.RAW || r1.length + r2.length < 2) {
      return this;
    }
    double sum = 0;
    for (double r : r1) {
      sum += r;
    }
    for (double r : r2) {
      sum += r;
    }
    double mean = sum / (r1.length + r2.length);
    double squares = 0;
    for (double r : r1) {
      squares += (r - mean) * (r - mean);
    }
    for (double r : r2) {
      squares += (r - mean) * (r - mean);
    }
    double std = Math.sqrt(squares / (r1.length + r2.length));
    return new Selector(thresholds, mean, std > 0 ? std : 1);
  }

  public double center() {
    return center;
  }

  public double spread() {
    return spread;
  }

  public Thresholds thresholds() {
    return thresholds;
  }

  /** s = sigmoid((r - center) / spread); sigmoid(r) unless scaled for a pool. */
  public double probabilityGood(double reward) {
    return Loss.sigmoid((reward - center) / spread);
  }

  /**
   * Selects from {@code pool}, whose answers got rewards {@code r1[i]} and {@code r2[i]}, by a
   * concrete rule; returns the self-labels in pool order.
   */
  public List<SelfLabel> select(List<UnlabeledPair> pool, double[] r1, double[] r2, SelectionRule rule, int loop) {
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
   * The learning status a set of selections shows: "good-bad" when most selected pairs satisfy
   * the good-vs-bad rule, else "difference".
   */
  public String status(List<SelfLabel> selected) {
    int goodBad = 0;
    for (SelfLabel s : selected) {
      goodBad += thresholds.goodVsBad(s.s1(), s.s2()) ? 1 : 0;
    }
    return selected.isEmpty() ? "none" : goodBad * 2 >= selected.size() ? "good-bad" : "difference";
  }

  /**
   * AUTO's choice: the rule whose selections on labeled pairs (rewards of the preferred and the
   * other answer) are right most often; a rule that selects nothing counts as precision 0.
   */
  public SelectionRule resolveAuto(double[] preferred, double[] other) {
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
