package org.ser4j.model.head;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.ser4j.model.Tensor;

/**
 * r(x) = w2 . relu(W1 x + b1) + b2. Parameters, flat: [W1 (h x d, row-major), b1 (h), w2 (h), b2].
 */
public final class MlpHead implements RewardHead {
  private final int d;
  private final int h;
  private final double[] p;

  /** He-initialized first layer, small second layer; seeded. */
  public MlpHead(int inputDimension, int hidden, long seed) {
    this.d = inputDimension;
    this.h = hidden;
    this.p = new double[h * d + h + h + 1];
    Random random = new Random(seed);
    double scale1 = Math.sqrt(2.0 / d);
    for (int i = 0; i < h * d; i++) {
      p[i] = random.nextGaussian() * scale1;
    }
    double scale2 = Math.sqrt(1.0 / h);
    for (int i = 0; i < h; i++) {
      p[h * d + h + i] = random.nextGaussian() * scale2;
    }
  }

  private MlpHead(int d, int h, double[] p) {
    this.d = d;
    this.h = h;
    this.p = p.clone();
  }

  static MlpHead fromTensors(Map<String, Tensor> t) {
    Tensor w1 = t.get("mlp.0.weight");
    int h = (int) w1.shape()[0];
    int d = (int) w1.shape()[1];
    double[] p = new double[h * d + h + h + 1];
    int at = 0;
    for (String name : new String[] {"mlp.0.weight", "mlp.0.bias", "mlp.2.weight", "mlp.2.bias"}) {
      for (float v : t.get(name).values()) {
        p[at++] = v;
      }
    }
    return new MlpHead(d, h, p);
  }

  public int hidden() {
    return h;
  }

  @Override
  public int inputDimension() {
    return d;
  }

  private double[] hiddenPre(float[] x) {
    double[] z = new double[h];
    int b1 = h * d;
    for (int j = 0; j < h; j++) {
      double s = p[b1 + j];
      int row = j * d;
      for (int i = 0; i < d; i++) {
        s += p[row + i] * x[i];
      }
      z[j] = s;
    }
    return z;
  }

  @Override
  public double score(float[] x) {
    double[] z = hiddenPre(x);
    int w2 = h * d + h;
    double s = p[w2 + h];
    for (int j = 0; j < h; j++) {
      s += p[w2 + j] * Math.max(0, z[j]);
    }
    return s;
  }

  @Override
  public void backward(float[] x, double dScore, double[] grad) {
    double[] z = hiddenPre(x);
    int b1 = h * d;
    int w2 = h * d + h;
    grad[w2 + h] += dScore;
    for (int j = 0; j < h; j++) {
      if (z[j] <= 0) {
        continue;
      }
      grad[w2 + j] += dScore * z[j];
      double dz = dScore * p[w2 + j];
      grad[b1 + j] += dz;
      int row = j * d;
      for (int i = 0; i < d; i++) {
        grad[row + i] += dz * x[i];
      }
    }
  }

  @Override
  public double[] parameters() {
    return p;
  }

  @Override
  public boolean[] decayMask() {
    boolean[] mask = new boolean[p.length];
    java.util.Arrays.fill(mask, 0, h * d, true);
    java.util.Arrays.fill(mask, h * d + h, h * d + 2 * h, true);
    return mask;
  }

  @Override
  public Map<String, Tensor> tensors() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put("mlp.0.weight", new Tensor(new long[] {h, d}, slice(0, h * d)));
    out.put("mlp.0.bias", new Tensor(new long[] {h}, slice(h * d, h)));
    out.put("mlp.2.weight", new Tensor(new long[] {1, h}, slice(h * d + h, h)));
    out.put("mlp.2.bias", new Tensor(new long[] {1}, slice(h * d + 2 * h, 1)));
    return out;
  }

  private float[] slice(int from, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) p[from + i];
    }
    return out;
  }

  @Override
  public RewardHead copy() {
    return new MlpHead(d, h, p);
  }
}
