package org.ser4j.model;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), the one optimizer of every trainer:
 * updates a parameter vector in place, the learning rate and a gradient scale (clipping) given per
 * step. Its state lives in Java, so a step is exact and the same on every run. For float tensors (a
 * fine-tuned encoder) the moments are kept at float precision, as the tensors are.
 */
public final class AdamW {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPS = 1e-8;

  private final double[] m;
  private final double[] v;
  private final double weightDecay;
  private final boolean[] decay; // null: every parameter decays
  private final boolean floatState;
  private int t;
  private double c1;
  private double c2;

  private AdamW(int size, double weightDecay, boolean[] decay, boolean floatState) {
    this.m = new double[size];
    this.v = new double[size];
    this.weightDecay = weightDecay;
    this.decay = decay;
    this.floatState = floatState;
  }

  /** For double parameters; {@code decay[i]} says whether parameter i decays. */
  public static AdamW forDoubles(int size, double weightDecay, boolean[] decay) {
    return new AdamW(size, weightDecay, decay, false);
  }

  /** For one float tensor, every value decaying by {@code weightDecay} (0: none). */
  public static AdamW forFloats(int size, double weightDecay) {
    return new AdamW(size, weightDecay, null, true);
  }

  /** params -= lr * (mHat / (sqrt(vHat) + eps) + weightDecay * params). */
  public void step(double[] params, double[] grad, double lr) {
    begin();
    for (int i = 0; i < params.length; i++) {
      params[i] -= lr * update(i, grad[i], params[i]);
    }
  }

  /** As {@link #step(double[], double[], double)}, with g scaled by {@code gradScale} first. */
  public void step(float[] w, float[] g, double lr, double gradScale) {
    begin();
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (w[i] - lr * update(i, g[i] * gradScale, w[i]));
    }
  }

  private void begin() {
    t++;
    c1 = 1 - Math.pow(BETA1, t);
    c2 = 1 - Math.pow(BETA2, t);
  }

  private double update(int i, double g, double w) {
    m[i] = BETA1 * m[i] + (1 - BETA1) * g;
    v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
    if (floatState) {
      m[i] = (float) m[i];
      v[i] = (float) v[i];
    }
    double u = (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPS);
    if (decay == null || decay[i]) {
      u += weightDecay * w;
    }
    return u;
  }
}
