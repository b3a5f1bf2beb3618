package org.ser4j.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * When the simulated annotator is asked: {@code start} random labels, then {@code rounds} rounds of
 * {@code roundSize} labels each strategy asks for. The start is drawn by the seed, the same for
 * every strategy, so that their gains over random labels are paired.
 */
public record ActiveSchedule(int start, int roundSize, int rounds) {
  public ActiveSchedule {
    if (start < 2 || roundSize < 1 || rounds < 1) {
      throw new IllegalArgumentException(
          "--ask-start must be >= 2, --ask-size and --ask-rounds >= 1");
    }
  }

  /** The counts of human labels at which the RMs are measured: start, start + size, ... */
  public List<Integer> budgets() {
    List<Integer> b = new ArrayList<>();
    for (int r = 0; r <= rounds; r++) {
      b.add(start + r * roundSize);
    }
    return b;
  }

  /** The first labels: {@code start} of {@code n} training pairs, drawn by {@code seed}. */
  public List<Integer> startLabels(int n, long seed) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed * 0x9E3779B97F4A7C15L + 0xA5L));
    return new ArrayList<>(order.subList(0, Math.min(start, n)));
  }
}
