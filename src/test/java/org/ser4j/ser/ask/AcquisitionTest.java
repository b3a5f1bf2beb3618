package org.ser4j.ser.ask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The acquisition strategies against independent computations: the greedy D-optimal design against
 * a brute-force search (log det from scratch for every candidate at every step), uncertainty
 * against a sort by |p - 0.5|, k-center against recomputed distances; and no pair asked twice.
 */
class AcquisitionTest {
  private static AskPool pool(int n, int dim, int held, long seed) {
    Random r = new Random(seed);
    float[][] diff = new float[n][dim];
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      double scale = 0.3 + 2 * r.nextDouble(); // pairs of very different informativeness
      for (int a = 0; a < dim; a++) {
        diff[i][a] = (float) (scale * r.nextGaussian());
      }
      p[i] = 0.02 + 0.96 * r.nextDouble();
    }
    float[][] heldDiff = new float[held][dim];
    double[] heldP = new double[held];
    for (int j = 0; j < held; j++) {
      for (int a = 0; a < dim; a++) {
        heldDiff[j][a] = (float) r.nextGaussian();
      }
      heldP[j] = 0.1 + 0.8 * r.nextDouble();
    }
    return new AskPool(diff, p, heldDiff, heldP, null);
  }

  /** log det(ridge I + sum of w d d') over {@code held} and the candidates {@code chosen}. */
  private static double logDet(AskPool pool, List<Integer> chosen, int extra) {
    return logDet(pool, chosen, extra, DOptimal.RIDGE);
  }

  private static double logDet(AskPool pool, List<Integer> chosen, int extra, double ridge) {
    int dim = pool.dimension();
    RealMatrix m = MatrixUtils.createRealIdentityMatrix(dim).scalarMultiply(ridge);
    for (int j = 0; j < pool.heldDiff().length; j++) {
      m = m.add(outer(pool.heldDiff()[j], DOptimal.weight(pool.heldP()[j])));
    }
    List<Integer> all = new ArrayList<>(chosen);
    if (extra >= 0) {
      all.add(extra);
    }
    for (int i : all) {
      m = m.add(outer(pool.diff()[i], DOptimal.weight(pool.p()[i])));
    }
    return Math.log(new LUDecomposition(m).getDeterminant());
  }

  private static RealMatrix outer(float[] d, double w) {
    double[] v = new double[d.length];
    for (int a = 0; a < d.length; a++) {
      v[a] = d[a];
    }
    RealMatrix col = MatrixUtils.createColumnRealMatrix(v);
    return col.multiply(col.transpose()).scalarMultiply(w);
  }

  @Test
  void greedyDOptimalEqualsBruteForce() {
    for (long seed = 1; seed <= 5; seed++) {
      AskPool pool = pool(30, 5, seed % 2 == 0 ? 0 : 6, seed);
      List<Acquisition.Pick> picks = Acquisition.of("fisher", 0).pick(pool, 10);
      List<Integer> chosen = new ArrayList<>();
      for (Acquisition.Pick pick : picks) {
        double base = logDet(pool, chosen, -1);
        int best = -1;
        double bestGain = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < pool.size(); i++) {
          if (!chosen.contains(i)) {
            double g = logDet(pool, chosen, i) - base;
            if (g > bestGain + 1e-12) {
              best = i;
              bestGain = g;
            }
          }
        }
        assertEquals(best, pick.index(), "seed " + seed + ", pick " + chosen.size());
        assertEquals(bestGain, pick.score(), 1e-9, "its gain in log det");
        chosen.add(best);
      }
    }
  }

  /**
   * fisher-raw: the same brute force on the encoder's own features (the standardized differences
   * times the head's deviations), with the small prior of unit-scale features.
   */
  @Test
  void fisherRawIsTheDesignOnTheEncodersOwnFeatures() {
    AskPool standardized = pool(30, 5, 6, 3);
    Random r = new Random(11);
    float[] std = new float[5];
    for (int a = 0; a < std.length; a++) {
      std[a] = (float) (0.02 + 0.3 * r.nextDouble()); // unit-length embeddings: small deviations
    }
    AskPool asked =
        new AskPool(
            standardized.diff(),
            standardized.p(),
            standardized.heldDiff(),
            standardized.heldP(),
            null,
            std);
    AskPool raw =
        new AskPool(
            times(standardized.diff(), std),
            standardized.p(),
            times(standardized.heldDiff(), std),
            standardized.heldP(),
            null);
    List<Acquisition.Pick> picks = Acquisition.of("fisher-raw", 0).pick(asked, 10);
    List<Integer> chosen = new ArrayList<>();
    for (Acquisition.Pick pick : picks) {
      double base = logDet(raw, chosen, -1, DOptimal.RAW_RIDGE);
      int best = -1;
      double bestGain = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < raw.size(); i++) {
        if (!chosen.contains(i)) {
          double g = logDet(raw, chosen, i, DOptimal.RAW_RIDGE) - base;
          if (g > bestGain + 1e-12) {
            best = i;
            bestGain = g;
          }
        }
      }
      assertEquals(best, pick.index(), "pick " + chosen.size());
      assertEquals(bestGain, pick.score(), 1e-6, "its gain in log det");
      chosen.add(best);
    }
    assertNotEquals(
        Acquisition.of("fisher", 0).pick(standardized, 10).stream()
            .map(Acquisition.Pick::index)
            .toList(),
        chosen,
        "the space the design is made in matters");
  }

  private static float[][] times(float[][] rows, float[] scale) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = new float[rows[i].length];
      for (int a = 0; a < scale.length; a++) {
        out[i][a] = rows[i][a] * scale[a];
      }
    }
    return out;
  }

  @Test
  void withNoModelFisherIsTheDOptimalDesignOnDifferences() {
    AskPool informed = pool(30, 4, 0, 9);
    AskPool blind =
        new AskPool(informed.diff(), null, informed.heldDiff(), null, null); // p = 0.5 each
    List<Acquisition.Pick> picks = Acquisition.of("fisher", 0).pick(blind, 1);
    int largest = 0;
    for (int i = 1; i < blind.size(); i++) {
      if (norm2(blind.diff()[i]) > norm2(blind.diff()[largest])) {
        largest = i;
      }
    }
    assertEquals(largest, picks.get(0).index(), "first pick: the largest difference");
    assertEquals(Math.log1p(0.25 * norm2(blind.diff()[largest])), picks.get(0).score(), 1e-9);
  }

  private static double norm2(float[] d) {
    double s = 0;
    for (float x : d) {
      s += (double) x * x;
    }
    return s;
  }

  @Test
  void uncertaintyPicksThePairsNearestOneHalf() {
    AskPool pool = pool(50, 3, 0, 3);
    List<Acquisition.Pick> picks = Acquisition.of("uncertainty", 0).pick(pool, 7);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      expected.add(i);
    }
    expected.sort(
        (a, b) -> Double.compare(Math.abs(pool.p()[a] - 0.5), Math.abs(pool.p()[b] - 0.5)));
    assertEquals(expected.subList(0, 7), picks.stream().map(Acquisition.Pick::index).toList());
  }

  @Test
  void kCenterPicksTheFarthestPairEachTime() {
    AskPool pool = pool(40, 3, 5, 4);
    List<Acquisition.Pick> picks = Acquisition.of("diverse", 0).pick(pool, 6);
    List<float[]> centers = new ArrayList<>(List.of(pool.heldDiff()));
    centers.add(new float[3]);
    Set<Integer> taken = new HashSet<>();
    for (Acquisition.Pick pick : picks) {
      double far = -1;
      int best = -1;
      for (int i = 0; i < pool.size(); i++) {
        if (taken.contains(i)) {
          continue;
        }
        double near = Double.POSITIVE_INFINITY;
        for (float[] c : centers) {
          near = Math.min(near, KCenter.distance(pool.diff()[i], c));
        }
        if (near > far) {
          far = near;
          best = i;
        }
      }
      assertEquals(best, pick.index());
      taken.add(best);
      centers.add(pool.diff()[best]);
    }
  }

  @Test
  void theEnsemblePicksTheWidestDisagreement() {
    AskPool base = pool(5, 2, 0, 5);
    double[][] heads = {{0.5, 0.9, 0.2, 0.5, 0.1}, {0.5, 0.1, 0.3, 0.6, 0.1}};
    AskPool pool = new AskPool(base.diff(), base.p(), base.heldDiff(), null, heads);
    List<Acquisition.Pick> picks = Acquisition.of("ensemble", 0).pick(pool, 2);
    assertEquals(1, picks.get(0).index());
    assertEquals(2, picks.get(1).index(), "0.2 vs 0.3 and 0.5 vs 0.6 tie: the earlier first");
  }

  @Test
  void noPairIsAskedTwiceAndRandomIsSeeded() {
    AskPool pool = pool(60, 4, 3, 6);
    double[][] heads = {pool.p(), pool(60, 4, 0, 7).p()};
    AskPool withHeads = new AskPool(pool.diff(), pool.p(), pool.heldDiff(), pool.heldP(), heads);
    for (String name : Acquisition.NAMES) {
      List<Acquisition.Pick> all = Acquisition.of(name, 1).pick(withHeads, 100);
      assertEquals(60, all.size(), name + " picks every pair once when asked for more");
      assertEquals(60, all.stream().map(Acquisition.Pick::index).distinct().count(), name);
    }
    List<Integer> a = indices(Acquisition.of("random", 1).pick(pool, 10));
    assertEquals(a, indices(Acquisition.of("random", 1).pick(pool, 10)));
    assertNotEquals(a, indices(Acquisition.of("random", 2).pick(pool, 10)));
    assertTrue(a.stream().allMatch(i -> i >= 0 && i < 60));
  }

  private static List<Integer> indices(List<Acquisition.Pick> picks) {
    return picks.stream().map(Acquisition.Pick::index).toList();
  }
}
