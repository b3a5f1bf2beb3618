package org.ser4j.ser.select;

/**
 * How a reward r becomes the probability s that the thresholds read.
 *
 * <p>The paper reads s = sigmoid(r) from a 7B-13B RM whose rewards spread over several units. A
 * small, well-calibrated RM trained on a few hundred pairs (a fine-tuned MiniLM) spreads its
 * rewards over a few tenths, so sigmoid(r) stays within 0.45-0.55 and almost nothing is ever
 * "confident". {@link #POOL} measures confidence against the RM's own spread instead.
 */
public enum ConfidenceScale {
  /** s = sigmoid(r), as the paper (default). */
  RAW,
  /**
   * s = sigmoid((r - mean) / std), mean and std over the rewards of the pool being selected from.
   */
  POOL;

  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static ConfidenceScale fromName(String name) {
    for (ConfidenceScale s : values()) {
      if (s.cliName().equalsIgnoreCase(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown reward scale '" + name + "'; expected raw or pool");
  }
}
