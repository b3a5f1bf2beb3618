package org.ser4j.model.learn;

import org.ser4j.data.UnlabeledPair;

/**
 * Two pool answers the RM labeled itself: the higher-scored answer is taken as preferred ({@code
 * s1} and {@code s2} are the selection's numbers for the comparison's first and second answer).
 */
public record SelfLabel(Comparison pair, boolean firstPreferred, double s1, double s2, int loop) {
  public static SelfLabel of(Comparison pair, double s1, double s2, int loop) {
    return new SelfLabel(pair, s1 >= s2, s1, s2, loop);
  }

  /**
   * A pool pair labeled by a person, not by the RM: the full-label baseline's gold labels, loop 0
   * (the RM's own labels come from loop 1 on).
   */
  public static SelfLabel human(Comparison pair, boolean firstPreferred) {
    return new SelfLabel(pair, firstPreferred, Double.NaN, Double.NaN, 0);
  }

  /** Whether a person gave this label ({@link #human}). */
  public boolean isHuman() {
    return loop == 0;
  }

  public static SelfLabel of(UnlabeledPair pair, double s1, double s2, int loop) {
    return of(Comparison.of(pair), s1, s2, loop);
  }

  public Comparison.Answer chosenAnswer() {
    return firstPreferred ? pair.first() : pair.second();
  }

  public Comparison.Answer rejectedAnswer() {
    return firstPreferred ? pair.second() : pair.first();
  }

  public String chosen() {
    return chosenAnswer().text();
  }

  public String rejected() {
    return rejectedAnswer().text();
  }

  /** Whether the hidden human label agrees; null where the pool does not decide it. */
  public Boolean right(org.ser4j.data.GoldLabels gold) {
    Boolean first = pair.goldFirstPreferred(gold);
    return first == null ? null : first == firstPreferred;
  }

  /** P(chosen over rejected) read from the scores: sigmoid(logit(s_chosen) - logit(s_rejected)). */
  public double confidence() {
    return confidence(firstPreferred ? s1 : s2, firstPreferred ? s2 : s1);
  }

  public static double confidence(double sChosen, double sRejected) {
    return org.ser4j.model.Loss.sigmoid(logit(sChosen) - logit(sRejected));
  }

  private static double logit(double s) {
    double p = Math.min(1 - 1e-12, Math.max(1e-12, s));
    return Math.log(p / (1 - p));
  }
}
