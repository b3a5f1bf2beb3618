package org.ser4j.ser;

import org.ser4j.data.UnlabeledPair;

/**
 * A pool pair the RM labeled itself: the higher-scored answer is taken as preferred (the pair is
 * swapped where the second scored higher).
 */
public record SelfLabel(
    UnlabeledPair pair, boolean firstPreferred, double s1, double s2, int loop) {
  public static SelfLabel of(UnlabeledPair pair, double s1, double s2, int loop) {
    return new SelfLabel(pair, s1 >= s2, s1, s2, loop);
  }

  public String chosen() {
    return firstPreferred ? pair.first() : pair.second();
  }

  public String rejected() {
    return firstPreferred ? pair.second() : pair.first();
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
