package org.ser4j.model.head;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ser4j.model.Tensor;

/** r(x) = w . x + b. Parameters: [w (d), b]. */
public final class LinearHead implements RewardHead {
  private final int d;
  private final double[] p;

  public LinearHead(int inputDimension) {
    this.d = inputDimension;
    this.p = new double[d + 1];
  }

  LinearHead(int inputDimension, double[] parameters) {
    this.d = inputDimension;
    this.p = parameters.clone();
  }

  static LinearHead fromTensors(Map<String, Tensor> t) {
    float[] w = t.get("linear.weight").values();
    double[] p = new double[w.length + 1];
    for (int i = 0; i < w.length; i++) {
      p[i] = w[i];
    }
    p[w.length] = t.get("linear.bias").values()[0];
    return new LinearHead(w.length, p);
  }

  @Override
  public int inputDimension() {
    return d;
  }

  @Override
  public double score(float[] x) {
    double s = p[d];
    for (int i = 0; i < d; i++) {
      s += p[i] * x[i];
    }
    return s;
  }

  /**
   * Four rewards at a time, each summed in {@link #score}'s order, so each is the same to the bit:
   * the four sums are independent chains the processor overlaps, where one chain waits on each
   * addition (the training loop's dominant cost).
   */
  @Override
  public void scoreRows(float[][] xs, int[] rows, int from, int to, double[] out) {
    int k = from;
    for (; k + 3 < to; k += 4) {
      float[] x0 = xs[rows == null ? k : rows[k]];
      float[] x1 = xs[rows == null ? k + 1 : rows[k + 1]];
      float[] x2 = xs[rows == null ? k + 2 : rows[k + 2]];
      float[] x3 = xs[rows == null ? k + 3 : rows[k + 3]];
      double s0 = p[d];
      double s1 = p[d];
      double s2 = p[d];
      double s3 = p[d];
      for (int i = 0; i < d; i++) {
        double w = p[i];
        s0 += w * x0[i];
        s1 += w * x1[i];
        s2 += w * x2[i];
        s3 += w * x3[i];
      }
      out[k - from] = s0;
      out[k + 1 - from] = s1;
      out[k + 2 - from] = s2;
      out[k + 3 - from] = s3;
    }
    for (; k < to; k++) {
      out[k - from] = score(xs[rows == null ? k : rows[k]]);
    }
  }

  @Override
  public void backward(float[] x, double dScore, double[] grad) {
    for (int i = 0; i < d; i++) {
      grad[i] += dScore * x[i];
    }
    grad[d] += dScore;
  }

  @Override
  public double[] parameters() {
    return p;
  }

  @Override
  public boolean[] decayMask() {
    boolean[] mask = new boolean[d + 1];
    java.util.Arrays.fill(mask, 0, d, true);
    return mask;
  }

  @Override
  public Map<String, Tensor> tensors() {
    float[] w = new float[d];
    for (int i = 0; i < d; i++) {
      w[i] = (float) p[i];
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put("linear.weight", new Tensor(new long[] {1, d}, w));
    out.put("linear.bias", new Tensor(new long[] {1}, new float[] {(float) p[d]}));
    return out;
  }

  @Override
  public RewardHead copy() {
    return new LinearHead(d, p);
  }
}
