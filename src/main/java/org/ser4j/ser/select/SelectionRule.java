package org.ser4j.ser.select;

/**
 * Which learning status's rule picks self-labeled pairs (paper section 3; reference code): "good vs
 * bad" keeps a pair when one answer scores above tau_high and the other below tau_low; "amplify
 * difference" keeps it when the two scores differ by more than delta.
 */
public enum SelectionRule {
  /** Either rule, as the reference code does (default). */
  BOTH,
  /** Only "good vs bad". */
  GOOD_BAD,
  /** Only "amplify difference". */
  DIFFERENCE,
  /**
   * Per loop, the rule of the RM's current learning status: the status whose rule is right more
   * often on the labeled validation slice (ties go to good vs bad, the earlier stage).
   */
  AUTO,
  /**
   * Calibrated pairwise confidence (SSRM): max(P, 1 - P) with P = sigmoid((r1 - r2) / T) at least
   * the minimum confidence, T fitted on held-out labeled pairs ({@link PairConfidence}).
   */
  PAIR_CONFIDENCE;

  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  public static SelectionRule fromName(String name) {
    for (SelectionRule r : values()) {
      if (r.cliName().equalsIgnoreCase(name) || r.name().equalsIgnoreCase(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "unknown selection rule '"
            + name
            + "'; expected both, good-bad, difference, auto or pair-confidence");
  }
}
