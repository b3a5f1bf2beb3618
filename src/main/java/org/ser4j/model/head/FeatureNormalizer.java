package org.ser4j.model.head;

/**
 * Standardizes features with the training data's per-dimension mean and standard deviation, so one
 * learning rate and one weight decay suit every encoder. Saved with the model.
 */
public record FeatureNormalizer(float[] mean, float[] std) implements java.io.Serializable {

  public static FeatureNormalizer fit(float[][]... sets) {
    int d = sets[0][0].length;
    double[] sum = new double[d];
    double[] sq = new double[d];
    long n = 0;
    for (float[][] set : sets) {
      for (float[] x : set) {
        for (int i = 0; i < d; i++) {
          sum[i] += x[i];
          sq[i] += (double) x[i] * x[i];
        }
        n++;
      }
    }
    float[] mean = new float[d];
    float[] std = new float[d];
    for (int i = 0; i < d; i++) {
      double mu = sum[i] / n;
      mean[i] = (float) mu;
      std[i] = (float) Math.sqrt(Math.max(sq[i] / n - mu * mu, 0) + 1e-6);
    }
    return new FeatureNormalizer(mean, std);
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
