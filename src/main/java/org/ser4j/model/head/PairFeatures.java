package org.ser4j.model.head;

/**
 * Feature vectors of preference pairs: row i of {@code chosen} was preferred over row i of {@code
 * rejected}.
 */
public record PairFeatures(float[][] chosen, float[][] rejected) {
  public PairFeatures {
    if (chosen.length != rejected.length) {
      throw new IllegalArgumentException(
          "chosen and rejected differ in length: " + chosen.length + " vs " + rejected.length);
    }
  }

  public int size() {
    return chosen.length;
  }

  /** Rows {@code idx} only. */
  public PairFeatures select(int[] idx) {
    float[][] c = new float[idx.length][];
    float[][] r = new float[idx.length][];
    for (int i = 0; i < idx.length; i++) {
      c[i] = chosen[idx[i]];
      r[i] = rejected[idx[i]];
    }
    return new PairFeatures(c, r);
  }

  /** These pairs followed by {@code other}'s. */
  public PairFeatures concat(PairFeatures other) {
    float[][] c = java.util.Arrays.copyOf(chosen, size() + other.size());
    float[][] r = java.util.Arrays.copyOf(rejected, size() + other.size());
    System.arraycopy(other.chosen, 0, c, size(), other.size());
    System.arraycopy(other.rejected, 0, r, size(), other.size());
    return new PairFeatures(c, r);
  }
}
