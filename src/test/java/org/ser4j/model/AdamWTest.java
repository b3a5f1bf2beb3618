package org.ser4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one optimizer against Adam's textbook update, written out here step by step. */
class AdamWTest {
  @Test
  void followsTheTextbookUpdateWithDecoupledDecay() {
    double lr = 0.05;
    double decay = 0.1;
    double[] grads = {0.5, -1.0, 2.0, 0.0, -0.25};
    double[] p = {1.0, -2.0};
    AdamW adam = AdamW.forDoubles(2, decay, new boolean[] {true, false});
    double w0 = 1.0;
    double w1 = -2.0;
    double m0 = 0;
    double v0 = 0;
    double m1 = 0;
    double v1 = 0;
    for (int t = 1; t <= grads.length; t++) {
      double g0 = grads[t - 1];
      double g1 = -grads[t - 1] / 2;
      adam.step(p, new double[] {g0, g1}, lr);
      // Kingma & Ba, Algorithm 1, with Loshchilov & Hutter's decoupled decay on w0 only.
      m0 = 0.9 * m0 + 0.1 * g0;
      v0 = 0.999 * v0 + 0.001 * g0 * g0;
      m1 = 0.9 * m1 + 0.1 * g1;
      v1 = 0.999 * v1 + 0.001 * g1 * g1;
      double mHat0 = m0 / (1 - Math.pow(0.9, t));
      double vHat0 = v0 / (1 - Math.pow(0.999, t));
      double mHat1 = m1 / (1 - Math.pow(0.9, t));
      double vHat1 = v1 / (1 - Math.pow(0.999, t));
      w0 -= lr * (mHat0 / (Math.sqrt(vHat0) + 1e-8) + decay * w0);
      w1 -= lr * (mHat1 / (Math.sqrt(vHat1) + 1e-8));
      assertEquals(w0, p[0], 1e-12, "step " + t);
      assertEquals(w1, p[1], 1e-12, "step " + t);
    }
  }

  @Test
  void floatStateScalesTheGradientFirst() {
    float[] w = {0.5f};
    AdamW adam = AdamW.forFloats(1, 0);
    adam.step(w, new float[] {4f}, 0.1, 0.25); // the first step moves by lr whatever g's size
    assertEquals(0.4f, w[0], 1e-6);
  }
}
