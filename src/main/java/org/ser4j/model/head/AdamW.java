package org.ser4j.model.head;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), updating a parameter vector in place.
 */
public final class AdamW {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPS = 1e-8;

  private final double lr;
  private final double weightDecay;
  private final boolean[] decay;
  private final double[] m;
  private final double[] v;
  private int t;

  public AdamW(int size, double lr, double weightDecay, boolean[] decay) {
    this.lr = lr;
    this.weightDecay = weightDecay;
    this.decay = decay;
    this.m = new double[size];
    this.v = new double[size];
  }

  public void step(double[] params, double[] grad) {
    t++;
    double c1 = 1 - Math.pow(BETA1, t);
    double c2 = 1 - Math.pow(BETA2, t);
    for (int i = 0; i < params.length; i++) {
      m[i] = BETA1 * m[i] + (1 - BETA1) * grad[i];
      v[i] = BETA2 * v[i] + (1 - BETA2) * grad[i] * grad[i];
      double update = (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPS);
      if (decay[i]) {
        update += weightDecay * params[i];
      }
      params[i] -= lr * update;
    }
  }
}
