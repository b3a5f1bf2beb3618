package org.ser4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LengthBiasTest {
  @Test
  void splitsAccuracyByWhichSideIsLonger() {
    // Pairs 0-2: chosen longer; 3-4: chosen shorter; 5: equal length (in neither side).
    double[] rc = {2, 3, 0, 0, 5, 1};
    double[] rr = {1, 1, 1, 1, 4, 0};
    double[] lc = {200, 300, 150, 10, 20, 50};
    double[] lr = {100, 100, 100, 90, 80, 50};
    LengthBias b = LengthBias.ofPairs(rc, rr, lc, lr);
    assertEquals(3, b.chosenLonger());
    assertEquals(2.0 / 3, b.accuracyChosenLonger(), 1e-12);
    assertEquals(2, b.chosenShorter());
    assertEquals(0.5, b.accuracyChosenShorter(), 1e-12);
    assertEquals(12, b.responses());
  }

  @Test
  void correlationAgreesWithTheTextbookFormula() {
    double[] r = {0.1, 0.5, 0.2, 0.9, 0.4, 0.7};
    double[] len = {10, 40, 25, 80, 30, 60};
    double mr = 0;
    double ml = 0;
    for (int i = 0; i < r.length; i++) {
      mr += r[i] / r.length;
      ml += len[i] / len.length;
    }
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < r.length; i++) {
      sxy += (r[i] - mr) * (len[i] - ml);
      sxx += (r[i] - mr) * (r[i] - mr);
      syy += (len[i] - ml) * (len[i] - ml);
    }
    assertEquals(sxy / Math.sqrt(sxx * syy), LengthBias.correlation(r, len, false), 1e-12);
    // Same order in both: Spearman 1.
    assertEquals(1.0, LengthBias.correlation(r, len, true), 1e-12);
  }
}
