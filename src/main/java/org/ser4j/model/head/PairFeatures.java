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

  /**
   * {@code f} of each row, computed once for a row that several pairs share (a re-paired answer's
   * vector is one array; {@link org.ser4j.encoder.Featurizer#features}), so the results share too.
   */
  public static float[][] mapRows(float[][] rows, java.util.function.UnaryOperator<float[]> f) {
    float[][] out = new float[rows.length][];
    java.util.Map<float[], float[]> done = new java.util.IdentityHashMap<>();
    for (int i = 0; i < rows.length; i++) {
      out[i] = done.computeIfAbsent(rows[i], f);
    }
    return out;
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
