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
}
