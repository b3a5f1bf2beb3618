package org.ser4j.ser;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.ser4j.model.learn.SelfLabel;

/**
 * A fold run's self-labels as its fit trains on them: all of them while they are at most {@code
 * bound}; beyond it, the {@code bound} of them with the smallest draws ({@link FoldJudge#rank}),
 * kept as they arrive, loop after loop. The rest are counted, not held, so a fold run holds at most
 * {@code bound} self-labels however many it picks from a large pool (it held every one: five fold
 * runs' picks, on the driver of a pool on a cluster too).
 */
final class FoldSample {
  private final int bound;
  private final long seed;
  private final Supplier<List<SelfLabel>> newList;
  private List<SelfLabel> held;
  private long[] ranks = new long[0]; // each held label's draw, as FoldJudge.rank gives it
  private long total;

  /** Draws by {@code seed}; holds its labels in lists from {@code newList}. */
  FoldSample(int bound, long seed, Supplier<List<SelfLabel>> newList) {
    this.bound = bound;
    this.seed = seed;
    this.newList = newList;
    this.held = newList.get();
  }

  /**
   * Adds a loop's picks, in order, after the ones before; past the bound, keeps those with the
   * smallest draws without holding the rest even for a moment (a loop's picks may be millions).
   */
  void addAll(List<SelfLabel> picks) {
    if (held.size() + picks.size() <= bound) {
      long[] all = Arrays.copyOf(ranks, ranks.length + picks.size());
      for (int i = 0; i < picks.size(); i++) {
        all[ranks.length + i] = FoldJudge.rank(picks.get(i), seed, total + i);
      }
      held.addAll(picks);
      ranks = all;
      total += picks.size();
      return;
    }
    // The bound-th smallest draw of the held and the new, by a heap of the bound smallest so far
    // (a draw's low bits are the label's position among all picks, so the draws differ and the
    // kept stay in picking order).
    java.util.PriorityQueue<Long> smallest =
        new java.util.PriorityQueue<>(bound, java.util.Comparator.reverseOrder());
    java.util.function.LongConsumer offer =
        r -> {
          if (smallest.size() < bound) {
            smallest.add(r);
          } else if (r < smallest.peek()) {
            smallest.poll();
            smallest.add(r);
          }
        };
    Arrays.stream(ranks).forEach(offer);
    for (int i = 0; i < picks.size(); i++) {
      offer.accept(FoldJudge.rank(picks.get(i), seed, total + i));
    }
    long last = smallest.peek();
    List<SelfLabel> kept = newList.get();
    long[] keptRanks = new long[bound];
    int k = 0;
    for (int i = 0; i < ranks.length; i++) {
      if (ranks[i] <= last) {
        kept.add(held.get(i));
        keptRanks[k++] = ranks[i];
      }
    }
    for (int i = 0; i < picks.size(); i++) {
      long r = FoldJudge.rank(picks.get(i), seed, total + i);
      if (r <= last) {
        kept.add(picks.get(i));
        keptRanks[k++] = r;
      }
    }
    held = kept;
    ranks = keptRanks;
    total += picks.size();
  }

  /** How many self-labels the fold run has picked, held or not. */
  long total() {
    return total;
  }

  /** Whether the held labels are a sample: more were picked than the bound. */
  boolean sampled() {
    return total > bound;
  }

  /** All the picks, or the sample of {@code bound} of them, in the order they were picked. */
  List<SelfLabel> held() {
    return held;
  }
}
