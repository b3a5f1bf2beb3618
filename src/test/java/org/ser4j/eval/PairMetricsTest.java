package org.ser4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PairMetricsTest {
  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  @Test
  void accuracyMarginAndEceByHand() {
    // margins: 2, -1, 0.1, 3 -> right, wrong, right, right
    double[] chosen = {2, 0, 0.1, 3};
    double[] rejected = {0, 1, 0, 0};
    PairMetrics m = PairMetrics.of(chosen, rejected);
    assertEquals(0.75, m.accuracy(), 1e-12);
    assertEquals((2 - 1 + 0.1 + 3) / 4.0, m.meanMargin(), 1e-12);
    // confidences: sigmoid(2)=0.881 (bin 7, right), sigmoid(1)=0.731 (bin 4, wrong),
    // sigmoid(0.1)=0.525 (bin 0, right), sigmoid(3)=0.953 (bin 9, right): one pair per bin.
    double expected =
        (Math.abs(1 - sigmoid(2))
                + Math.abs(0 - sigmoid(1))
                + Math.abs(1 - sigmoid(0.1))
                + Math.abs(1 - sigmoid(3)))
            / 4;
    assertEquals(expected, m.ece(), 1e-12);
    assertEquals(1, m.reliability().get(4).count());
    assertEquals(0.0, m.reliability().get(4).accuracy(), 1e-12);
  }

  @Test
  void tiesAreWrongAtHalfConfidence() {
    // Two pairs at the same confidence, one right and one wrong: accuracy 0.5 vs confidence 0.5.
    PairMetrics m = PairMetrics.of(new double[] {0, 0}, new double[] {0, 0});
    assertEquals(0.0, m.accuracy());
    assertEquals(0.5, m.ece(), 1e-12, "ties count as wrong at confidence 0.5: |0 - 0.5|");
  }
}
