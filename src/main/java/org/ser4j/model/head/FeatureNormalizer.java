package org.ser4j.model.head;

/**
 * Standardizes features with the training data's per-dimension mean and standard deviation, so one
 * learning rate and one weight decay suit every encoder. Saved with the model.
 */
public record FeatureNormalizer(float[] mean, float[] std) implements java.io.Serializable {

  public static FeatureNormalizer fit(float[][]... sets) {
    Sums sums = new Sums(sets[0][0].length);
    for (float[][] set : sets) {
      for (float[] x : set) {
        sums.add(x);
      }
    }
    return sums.normalizer();
  }

  /**
   * The per-dimension sums a normalizer is fit from, mergeable: so rows on a cluster's executors
   * are summed where they are ({@link #fit} sums them in this process).
   */
  public static final class Sums implements java.io.Serializable {
    private final double[] sum;
    private final double[] sq;
    private long n;

    public Sums(int dimension) {
      sum = new double[dimension];
      sq = new double[dimension];
    }

    public Sums add(float[] x) {
      return add(x, 0);
    }

    /** Adds the vector of {@code x} from {@code offset} (a row of a row-major matrix). */
    public Sums add(float[] x, int offset) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += x[offset + i];
        sq[i] += (double) x[offset + i] * x[offset + i];
      }
      n++;
      return this;
    }

    public Sums merge(Sums o) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += o.sum[i];
        sq[i] += o.sq[i];
      }
      n += o.n;
      return this;
    }

    public FeatureNormalizer normalizer() {
      int d = sum.length;
      float[] mean = new float[d];
      float[] std = new float[d];
      for (int i = 0; i < d; i++) {
        double mu = sum[i] / n;
        mean[i] = (float) mu;
        std[i] = (float) Math.sqrt(Math.max(sq[i] / n - mu * mu, 0) + 1e-6);
      }
      return new FeatureNormalizer(mean, std);
    }
  }

  public float[] apply(float[] x) {
    float[] out = new float[x.length];
    applyInto(x, out);
    return out;
  }

  /** {@link #apply(float[])} into {@code out}, a row the caller reuses. */
  public void applyInto(float[] x, float[] out) {
    for (int i = 0; i < x.length; i++) {
      out[i] = (x[i] - mean[i]) / std[i];
    }
  }

  /** Rows standardized; a row several pairs share is done once ({@link PairFeatures#mapRows}). */
  public float[][] apply(float[][] xs) {
    return PairFeatures.mapRows(xs, this::apply);
  }
}
