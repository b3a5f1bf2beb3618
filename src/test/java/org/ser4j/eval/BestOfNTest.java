package org.ser4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BestOfNTest {
  /** Independent: the mean over many seeded draws of n candidates, as a user would simulate. */
  private static double simulated(double[] keys, double[] value, int n, int draws, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int size = keys.length;
    double sum = 0;
    for (int d = 0; d < draws; d++) {
      int[] idx = new int[size];
      for (int i = 0; i < size; i++) {
        idx[i] = i;
      }
      int m = Math.min(n, size);
      for (int i = 0; i < m; i++) { // partial Fisher-Yates: the first m are a uniform draw
        int j = i + random.nextInt(size - i);
        int t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
      }
      int best = idx[0];
      for (int i = 1; i < m; i++) {
        int c = idx[i];
        if (keys[c] > keys[best] || (keys[c] == keys[best] && c < best)) {
          best = c;
        }
      }
      sum += value[best];
    }
    return sum / draws;
  }

  @Test
  void exactExpectationMatchesSeededDraws() {
    SplittableRandom random = new SplittableRandom(7);
    for (int trial = 0; trial < 5; trial++) {
      int size = 5 + random.nextInt(30);
      double[] keys = new double[size];
      double[] gold = new double[size];
      for (int i = 0; i < size; i++) {
        keys[i] = random.nextInt(6); // ties on purpose
        gold[i] = random.nextDouble() < 0.3 ? 1 : 0;
      }
      for (int n : new int[] {1, 2, 4, 16, BestOfN.ALL}) {
        double exact = BestOfN.expectedPick(keys, gold, n);
        double mc = simulated(keys, gold, n, 200_000, trial * 100L + n % 97);
        assertEquals(mc, exact, 0.006, "size " + size + ", n " + n);
      }
    }
  }

  @Test
  void pickProbabilitiesFormADistribution() {
    for (int size : new int[] {1, 2, 7, 57}) {
      for (int n = 1; n <= size + 2; n++) {
        double[] p = BestOfN.pickProbabilities(size, n);
        double sum = 0;
        for (double v : p) {
          assertTrue(v >= 0);
          sum += v;
        }
        assertEquals(1.0, sum, 1e-12, size + " choose " + n);
      }
    }
  }

  @Test
  void curveOrdersThePickersAsTheyMustBe() {
    // Gold grows with the key for a perfect RM; length says nothing.
    List<BestOfN.Judged> prompts = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(3);
    for (int j = 0; j < 40; j++) {
      double[] keys = new double[20];
      double[] gold = new double[20];
      double[] len = new double[20];
      for (int i = 0; i < 20; i++) {
        gold[i] = random.nextDouble() < 0.2 ? 1 : 0;
        keys[i] = gold[i] + random.nextGaussian();
        len[i] = 100 + random.nextInt(1000);
      }
      prompts.add(new BestOfN.Judged(keys, gold, len));
    }
    List<BestOfN.Point> curve = BestOfN.curve(prompts, new int[] {1, 4, BestOfN.ALL}, 1);
    BestOfN.Point one = curve.get(0);
    // At n = 1 every picker takes the one drawn candidate: all equal the random pick.
    assertEquals(one.random().mean(), one.rm().mean(), 1e-12);
    assertEquals(one.random().mean(), one.oracle().mean(), 1e-12);
    assertEquals(one.random().mean(), one.longest().mean(), 1e-12);
    BestOfN.Point all = curve.get(2);
    assertEquals("all", all.n());
    assertEquals(20.0, all.meanDrawn(), 1e-12);
    assertTrue(all.rm().mean() > all.random().mean() + 0.1, "an informative RM beats random");
    assertTrue(all.oracle().mean() >= all.rm().mean());
    assertTrue(curve.get(1).rm().mean() < all.rm().mean(), "more candidates, better picks");
    assertTrue(all.rm().low() <= all.rm().mean() && all.rm().mean() <= all.rm().high());
    assertTrue(all.longestPickLength() > all.randomPickLength());
  }

  @Test
  void parsesTheNList() {
    int[] ns = BestOfN.parseNs("1, 2,16,all");
    assertEquals(4, ns.length);
    assertEquals(BestOfN.ALL, ns[3]);
    assertThrows(IllegalArgumentException.class, () -> BestOfN.parseNs("1,0"));
    assertThrows(IllegalArgumentException.class, () -> BestOfN.parseNs("1,many"));
  }
}
