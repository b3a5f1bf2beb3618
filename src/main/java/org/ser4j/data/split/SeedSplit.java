package org.ser4j.data.split;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ser4j.util.Permutations;

/**
 * The one place a seed's positions are dealt: training and validation positions (a seeded share of
 * the seed judges loops and stops training early; the test set never does), and folds for
 * cross-validation ({@link Folds}, or {@link #byGroup} to keep a prompt's pairs in one fold). Every
 * learner and trainer uses these splits; each kind keeps its own seeding, as the runs recorded with
 * it did.
 */
public record SeedSplit(int[] train, int[] validation) {
  /** No validation below 10 labeled pairs; otherwise {@code round(fraction * n)}, at least 1. */
  public static SeedSplit of(int n, double validationFraction, long seed) {
    int nVal = n >= 10 ? Math.max(1, (int) Math.round(validationFraction * n)) : 0;
    int[] order = Permutations.of(n, new Random(seed * 0x2545F4914F6CDD1DL + 11));
    return new SeedSplit(Arrays.copyOfRange(order, nVal, n), Arrays.copyOfRange(order, 0, nVal));
  }

  /** The whole seed to train on, nothing held out (loops judged by cross-validation instead). */
  public static SeedSplit whole(int n) {
    return new SeedSplit(java.util.stream.IntStream.range(0, n).toArray(), new int[0]);
  }

  /**
   * The split of a plain training run (`ser train`): no validation below 20 pairs, else {@code
   * round(fraction * n)}.
   */
  public static SeedSplit forTraining(int n, double validationFraction, long seed) {
    int nVal = n >= 20 ? (int) Math.round(validationFraction * n) : 0;
    int[] order = Permutations.of(n, new Random(seed));
    return new SeedSplit(Arrays.copyOfRange(order, nVal, n), Arrays.copyOfRange(order, 0, nVal));
  }

  /**
   * The fold of each position, keeping each group whole ({@code groups}: each position's group,
   * numbered from 0, such as its prompt): the groups in a seeded order, each to the fold with the
   * fewest positions so far, so no group is on both sides of a fold and the folds are near equal in
   * size. At most {@code k} folds, fewer with fewer groups.
   */
  public static int[] byGroup(int[] groups, int k, long seed) {
    int groupCount = java.util.stream.IntStream.of(groups).max().orElse(-1) + 1;
    int[] size = new int[groupCount];
    for (int g : groups) {
      size[g]++;
    }
    int folds = Math.min(k, groupCount);
    int[] foldOf = new int[groupCount];
    long[] filled = new long[folds];
    for (int g : Permutations.of(groupCount, new Random(seed * 31 + 7))) {
      int best = 0;
      for (int f = 1; f < folds; f++) {
        if (filled[f] < filled[best]) {
          best = f;
        }
      }
      foldOf[g] = best;
      filled[best] += size[g];
    }
    int[] out = new int[groups.length];
    for (int i = 0; i < groups.length; i++) {
      out[i] = foldOf[groups[i]];
    }
    return out;
  }

  /**
   * Seed positions dealt into held-out folds (at most one per position) after a seeded shuffle:
   * position i of the shuffle goes to fold i mod k.
   */
  public record Folds(int[] order, int[][] heldOut) {
    public static Folds of(int[] positions, int k, long foldSeed) {
      int n = Math.min(k, positions.length);
      int[] order = positions.clone();
      Permutations.shuffle(order, new java.util.Random(foldSeed * 31 + 17));
      int[][] heldOut = new int[n][];
      for (int f = 0; f < n; f++) {
        List<Integer> fold = new ArrayList<>();
        for (int i = f; i < order.length; i += n) {
          fold.add(order[i]);
        }
        heldOut[f] = fold.stream().mapToInt(Integer::intValue).toArray();
      }
      return new Folds(order, heldOut);
    }

    public int size() {
      return heldOut.length;
    }

    /** The positions outside fold f, in shuffled order. */
    public int[] others(int f) {
      List<Integer> in = new ArrayList<>();
      for (int i = 0; i < order.length; i++) {
        if (i % heldOut.length != f) {
          in.add(order[i]);
        }
      }
      return in.stream().mapToInt(Integer::intValue).toArray();
    }
  }
}
