package org.ser4j.ser;

import java.util.Arrays;
import java.util.Random;
import org.ser4j.util.Permutations;

/**
 * The labeled seed split into training and validation positions: a seeded share of the seed judges
 * loops and stops training early; the test set never does. Every learner uses these splits.
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
}
