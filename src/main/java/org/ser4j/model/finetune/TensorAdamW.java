package org.ser4j.model.finetune;

/**
 * Adam with decoupled weight decay for one float tensor, with the learning rate and a gradient
 * scale (clipping) given per step: the fine-tuner's optimizer. The state lives in Java, so a step
 * is exact and the same on every run.
 */
final class TensorAdamW {
  static final double BETA1 = 0.9;
  static final double BETA2 = 0.999;
  static final double EPS = 1e-8;

  private final float[] m;
  private final float[] v;
  private final double weightDecay;
  private int t;

  TensorAdamW(int size, double weightDecay) {
    this.m = new float[size];
    this.v = new float[size];
    this.weightDecay = weightDecay;
  }

  /**
   * w -= lr * (mHat / (sqrt(vHat) + eps) + weightDecay * w), with g scaled by {@code gradScale}
   * first.
   */
  void step(float[] w, float[] g, double lr, double gradScale) {
    t++;
    double c1 = 1 - Math.pow(BETA1, t);
    double c2 = 1 - Math.pow(BETA2, t);
    for (int i = 0; i < w.length; i++) {
      double gi = g[i] * gradScale;
      m[i] = (float) (BETA1 * m[i] + (1 - BETA1) * gi);
      v[i] = (float) (BETA2 * v[i] + (1 - BETA2) * gi * gi);
      double update = (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPS) + weightDecay * w[i];
      w[i] = (float) (w[i] - lr * update);
    }
  }
}
