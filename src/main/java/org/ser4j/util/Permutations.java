package org.ser4j.util;

import java.util.Random;

/**
 * Seeded Fisher-Yates shuffles of index arrays, the one place splits and training draw their order.
 */
public final class Permutations {
  private Permutations() {}

  /** 0..n-1 in a random order drawn from {@code random}. */
  public static int[] of(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    shuffle(order, random);
    return order;
  }

  public static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** {@code from}'s entries at {@code positions}, in that order (a split's side of a set). */
  public static int[] pick(int[] from, int[] positions) {
    int[] out = new int[positions.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = from[positions[i]];
    }
    return out;
  }
}
