package org.ser4j.model;

/**
 * Rewards of pairs' two sides, position by position: chosen (or first) and rejected (or second).
 */
public record PairRewards(double[] chosen, double[] rejected) {
  public PairRewards {
    if (chosen.length != rejected.length) {
      throw new IllegalArgumentException(
          "chosen and rejected differ in length: " + chosen.length + " vs " + rejected.length);
    }
  }

  /** Rewards of {@code 2n} sequences laid out as n chosen, then n rejected. */
  public static PairRewards ofConcatenated(double[] all) {
    int n = all.length / 2;
    return new PairRewards(
        java.util.Arrays.copyOfRange(all, 0, n), java.util.Arrays.copyOfRange(all, n, all.length));
  }

  /** The pairs at {@code positions}, in that order. */
  public PairRewards select(int[] positions) {
    double[] c = new double[positions.length];
    double[] r = new double[positions.length];
    for (int i = 0; i < positions.length; i++) {
      c[i] = chosen[positions[i]];
      r[i] = rejected[positions[i]];
    }
    return new PairRewards(c, r);
  }

  /** These pairs, then {@code more}'s. */
  public PairRewards concat(PairRewards more) {
    double[] c = java.util.Arrays.copyOf(chosen, chosen.length + more.size());
    double[] r = java.util.Arrays.copyOf(rejected, rejected.length + more.size());
    System.arraycopy(more.chosen, 0, c, chosen.length, more.size());
    System.arraycopy(more.rejected, 0, r, rejected.length, more.size());
    return new PairRewards(c, r);
  }

  public int size() {
    return chosen.length;
  }

  /** r_chosen - r_rejected per pair. */
  public double[] margins() {
    double[] m = new double[chosen.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = chosen[i] - rejected[i];
    }
    return m;
  }

  /** The share of pairs whose chosen side scores strictly higher (0 for none). */
  public double accuracy() {
    int right = 0;
    for (int i = 0; i < chosen.length; i++) {
      right += chosen[i] > rejected[i] ? 1 : 0;
    }
    return chosen.length == 0 ? 0 : (double) right / chosen.length;
  }
}
