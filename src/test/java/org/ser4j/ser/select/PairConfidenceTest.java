package org.ser4j.ser.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ser4j.data.Prompt;
import org.ser4j.data.SourceRef;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.model.Loss;
import org.ser4j.model.learn.Comparison;
import org.ser4j.model.learn.SelfLabel;

public class PairConfidenceTest {
  /** Pairs labeled by a Bradley-Terry model with temperature {@code t} over latent gaps. */
  private static double[] btMargins(int n, double t, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] m = new double[n];
    for (int i = 0; i < n; i++) {
      double gap = 3 * random.nextGaussian(); // r_first - r_second
      boolean firstWins = random.nextDouble() < Loss.sigmoid(gap / t);
      m[i] = firstWins ? gap : -gap; // margin of chosen over rejected
    }
    return m;
  }

  @Test
  void calibrationRecoversAKnownTemperature() {
    for (double t : new double[] {0.5, 1.0, 2.5}) {
      double fitted = PairConfidence.fitTemperature(btMargins(20_000, t, 11));
      assertEquals(t, fitted, 0.06 * t, "temperature " + t);
    }
    // Independent check of the optimum: the likelihood's derivative in 1/T vanishes there.
    double[] m = btMargins(5_000, 1.7, 3);
    double b = 1 / PairConfidence.fitTemperature(m);
    double grad = 0;
    for (double x : m) {
      grad += x * (1 - Loss.sigmoid(b * x));
    }
    assertEquals(0, grad / m.length, 1e-6);
  }

  @Test
  void theTargetPrecisionHoldsOnAPoolWithKnownLabels() {
    SplittableRandom random = new SplittableRandom(5);
    int n = 20_000;
    double t = 1.3;
    List<Comparison> pool = new ArrayList<>();
    double[] r1 = new double[n];
    double[] r2 = new double[n];
    boolean[] firstGold = new boolean[n];
    for (int i = 0; i < n; i++) {
      r1[i] = 2 * random.nextGaussian();
      r2[i] = 2 * random.nextGaussian();
      firstGold[i] = random.nextDouble() < Loss.sigmoid((r1[i] - r2[i]) / t);
      pool.add(
          Comparison.of(
              new UnlabeledPair(i, "p" + i, Prompt.of("q"), "a" + i, "b", new SourceRef("x", i))));
    }
    PairConfidence pc = new PairConfidence(t);
    for (double target : new double[] {0.8, 0.9, 0.95}) {
      List<SelfLabel> kept = pc.select(pool, r1, r2, 0.5, target, 1);
      int right = 0;
      double conf = 0;
      for (SelfLabel s : kept) {
        right += s.firstPreferred() == firstGold[s.pair().key()] ? 1 : 0;
        conf += s.confidence();
      }
      double precision = (double) right / kept.size();
      assertTrue(kept.size() > 1000, "keeps many pairs at " + target + ": " + kept.size());
      assertTrue(conf / kept.size() >= target - 1e-9, "expected precision reaches the target");
      assertEquals(target, precision, 0.02, "measured precision at target " + target);
      for (SelfLabel s : kept) { // confidence read back from the scores is P itself
        double p = pc.probability(r1[s.pair().key()], r2[s.pair().key()]);
        assertEquals(Math.max(p, 1 - p), s.confidence(), 1e-9);
      }
    }
    // A fixed minimum: every kept pair at least that confident, in pool order.
    List<SelfLabel> fixed = pc.select(pool, r1, r2, 0.8, 0, 1);
    for (int k = 0; k < fixed.size(); k++) {
      assertTrue(fixed.get(k).confidence() >= 0.8 - 1e-12);
      if (k > 0) {
        assertTrue(fixed.get(k).pair().key() > fixed.get(k - 1).pair().key());
      }
    }
  }

  @Test
  void lengthBalanceMatchesTheSeedShareDroppingTheLeastConfident() {
    List<SelfLabel> selected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      boolean longer = i < 80; // 80% chosen-longer among the selected
      double s1 = 0.6 + 0.003 * i; // confidence grows with i
      UnlabeledPair p =
          new UnlabeledPair(
              i,
              "p" + i,
              Prompt.of("q"),
              longer ? "long answer" : "s",
              "mid",
              new SourceRef("x", i));
      selected.add(SelfLabel.of(p, s1, 0.5, 1));
    }
    List<SelfLabel> out = LengthBalance.match(selected, 0.5);
    assertEquals(0.5, LengthBalance.longerShare(out), 0.011);
    assertEquals(20, out.stream().filter(s -> s.pair().key() >= 80).count(), "shorter all kept");
    for (SelfLabel s : out) {
      if (s.pair().key() < 80) {
        assertTrue(s.pair().key() >= 60, "the least confident longer ones went first: " + s);
      }
    }
    assertEquals(selected, LengthBalance.match(selected, 0.8), "already at the seed's share");
  }
}
