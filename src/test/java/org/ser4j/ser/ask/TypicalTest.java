package org.ser4j.ser.ask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * TypiClust on pools whose structure is known: three blobs of differences (sizes 60, 40, 20, half
 * of each blob's pairs reversed), with or without a few outliers. The picks are one pair from each
 * blob, the largest first, each near its blob's centre; outliers come after the blobs; a blob a
 * held label falls in comes after the uncovered ones; and no pair is picked twice.
 */
class TypicalTest {
  private static final int DIM = 6;
  private static final int[] SIZES = {60, 40, 20};
  private static final int OUTLIERS = 5;

  /** Blob b's centre is 4 along axis b; its members are within 0.3 of it, reversed or not. */
  private static float[][] pool(long seed) {
    return pool(seed, OUTLIERS);
  }

  private static float[][] pool(long seed, int outliers) {
    Random r = new Random(seed);
    int n = SIZES[0] + SIZES[1] + SIZES[2] + outliers;
    float[][] d = new float[n][DIM];
    int i = 0;
    for (int b = 0; b < SIZES.length; b++) {
      for (int m = 0; m < SIZES[b]; m++, i++) {
        for (int a = 0; a < DIM; a++) {
          d[i][a] = (float) (0.3 * r.nextGaussian() + (a == b ? 4 : 0));
        }
        if (m % 2 == 1) { // the same comparison, answers the other way round
          for (int a = 0; a < DIM; a++) {
            d[i][a] = -d[i][a];
          }
        }
      }
    }
    for (; i < n; i++) {
      for (int a = 0; a < DIM; a++) {
        d[i][a] = (float) (12 * r.nextGaussian());
      }
    }
    return d;
  }

  private static int blob(int index) {
    int start = 0;
    for (int b = 0; b < SIZES.length; b++) {
      if (index < start + SIZES[b]) {
        return b;
      }
      start += SIZES[b];
    }
    return -1; // an outlier
  }

  @Test
  void onePairFromEachBlobLargestFirst() {
    for (long seed = 1; seed <= 3; seed++) {
      float[][] d = pool(seed, 0);
      List<Acquisition.Pick> picks =
          Acquisition.of("typical", seed).pick(new AskPool(d, null, new float[0][], null, null), 3);
      assertEquals(
          List.of(0, 1, 2), picks.stream().map(p -> blob(p.index())).toList(), "seed " + seed);
      for (Acquisition.Pick p : picks) {
        float[] x = d[p.index()];
        double off = 0;
        int b = blob(p.index());
        for (int a = 0; a < DIM; a++) {
          double centre = a == b ? 4 : 0;
          off = Math.max(off, Math.min(Math.abs(x[a] - centre), Math.abs(x[a] + centre)));
        }
        assertTrue(off < 0.9, "a typical member, near the centre: " + off);
      }
    }
  }

  /** Outliers form clusters of their own, smaller than any blob: they come last. */
  @Test
  void typicalPairsBeforeOutliers() {
    for (long seed = 1; seed <= 3; seed++) {
      float[][] d = pool(seed);
      List<Acquisition.Pick> picks =
          Acquisition.of("typical", seed).pick(new AskPool(d, null, new float[0][], null, null), 8);
      assertEquals(
          List.of(0, 1, 2),
          picks.subList(0, 3).stream().map(p -> blob(p.index())).toList(),
          "seed " + seed);
    }
  }

  @Test
  void aBlobALabelFallsInComesAfterTheUncoveredOnes() {
    float[][] d = pool(4, 0);
    float[][] held = {d[0].clone()}; // a labeled pair in the largest blob
    List<Acquisition.Pick> picks =
        Acquisition.of("typical", 4).pick(new AskPool(d, null, held, null, null), 3);
    assertEquals(1, blob(picks.get(0).index()), "the largest uncovered blob first");
    assertEquals(2, blob(picks.get(1).index()));
  }

  @Test
  void noPairTwiceEvenWhenPicksOutnumberClusters() {
    float[][] d = pool(5);
    List<Acquisition.Pick> picks =
        Acquisition.of("typical", 5).pick(new AskPool(d, null, new float[0][], null, null), 50);
    Set<Integer> seen = new HashSet<>();
    for (Acquisition.Pick p : picks) {
      assertTrue(seen.add(p.index()), "pair " + p.index() + " picked twice");
    }
    assertEquals(50, picks.size());
  }
}
