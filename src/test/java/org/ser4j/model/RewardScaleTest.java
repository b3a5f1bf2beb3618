package org.ser4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RewardScaleTest {
  @Test
  void zscoreCentersTheReferenceSet() {
    double[] ref = {1, 2, 3, 4};
    RewardScale s = RewardScale.zscore(ref);
    double sum = 0;
    double sq = 0;
    for (double r : ref) {
      sum += s.apply(r);
      sq += s.apply(r) * s.apply(r);
    }
    assertEquals(0, sum / ref.length, 1e-12);
    assertEquals(1, sq / ref.length, 1e-12);
  }

  @Test
  void baselineClipsThenMapsToMinusOneOne() {
    RewardScale s = RewardScale.baseline(0.5);
    assertEquals(-1, s.apply(-3), 1e-12, "below the baseline: clipped to b, mapped to -1");
    assertEquals(-1, s.apply(0), 1e-12, "sigmoid(0) = 0.5 = b");
    double sig2 = 1 / (1 + Math.exp(-2));
    assertEquals(2 * (sig2 - 0.5) / 0.5 - 1, s.apply(2), 1e-12);
    assertEquals(1, s.apply(1000), 1e-9);
    assertEquals(7.5, RewardScale.NONE.apply(7.5));
    assertThrows(IllegalArgumentException.class, () -> RewardScale.baseline(1.0));
  }

  @Test
  void lengthCorrectionRemovesTheLeastSquaresTrend() {
    double[] len = {100, 250, 400, 800, 1600, 3000};
    double[] r = new double[len.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = 0.002 * len[i] + (i % 2 == 0 ? 0.3 : -0.3); // a trend plus what length does not say
    }
    RewardScale fit = RewardScale.lengthCorrection(r, len);
    // Independent: slope = cov(len, r) / var(len).
    double ml = 0;
    double mr = 0;
    for (int i = 0; i < r.length; i++) {
      ml += len[i] / len.length;
      mr += r[i] / r.length;
    }
    double cov = 0;
    double var = 0;
    for (int i = 0; i < r.length; i++) {
      cov += (len[i] - ml) * (r[i] - mr);
      var += (len[i] - ml) * (len[i] - ml);
    }
    assertEquals(cov / var, fit.lengthSlope(), 1e-12);
    assertEquals(ml, fit.lengthMean(), 1e-9);
    // Corrected rewards no longer grow with length, and keep their mean.
    double[] c = new double[r.length];
    double mc = 0;
    for (int i = 0; i < r.length; i++) {
      c[i] = fit.corrected(r[i], (int) len[i]);
      mc += c[i] / c.length;
    }
    assertEquals(mr, mc, 1e-9);
    assertEquals(0, org.ser4j.eval.LengthBias.correlation(c, len, false), 1e-9);
    // zscore on top keeps the correction; the map alone ignores length.
    RewardScale z = fit.withZscore(c);
    assertEquals(fit.lengthSlope(), z.lengthSlope());
    assertEquals((c[2] - z.mean()) / z.std(), z.apply(r[2], (int) len[2]), 1e-9);
    assertEquals(0.0, RewardScale.NONE.corrected(0.0, 5000));
  }
}
