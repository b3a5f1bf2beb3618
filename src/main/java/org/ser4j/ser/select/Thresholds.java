package org.ser4j.ser.select;

/**
 * The confidence thresholds on s = sigmoid(r), the RM's probability that an answer is good.
 * Defaults are the paper's: tau_high 0.55, tau_low 0.45, delta 0.3.
 */
public record Thresholds(double tauHigh, double tauLow, double delta)
    implements java.io.Serializable {
  public Thresholds {
    if (!(tauLow <= tauHigh) || !(delta >= 0)) {
      throw new IllegalArgumentException(
          "need tau_low <= tau_high and delta >= 0, got " + tauLow + ", " + tauHigh + ", " + delta);
    }
  }

  public static Thresholds paper() {
    return new Thresholds(0.55, 0.45, 0.3);
  }

  /**
   * "Good vs bad": one answer confidently good, the other confidently bad (strict inequalities).
   */
  public boolean goodVsBad(double s1, double s2) {
    return Math.max(s1, s2) > tauHigh && Math.min(s1, s2) < tauLow;
  }

  /** "Amplify difference": the scores differ by more than delta. */
  public boolean difference(double s1, double s2) {
    return Math.abs(s1 - s2) > delta;
  }

  /** Does {@code rule} keep the pair? AUTO must be resolved to a concrete rule first. */
  public boolean keeps(SelectionRule rule, double s1, double s2) {
    switch (rule) {
      case GOOD_BAD:
        return goodVsBad(s1, s2);
      case DIFFERENCE:
        return difference(s1, s2);
      case BOTH:
        return goodVsBad(s1, s2) || difference(s1, s2);
      default:
        throw new IllegalArgumentException("resolve AUTO to a rule before selecting");
    }
  }
}
