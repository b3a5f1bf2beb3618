package org.ser4j.ser.ask;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Uniform random picks, seeded: what labeling without a model does (the baseline). */
final class RandomPicks implements Acquisition {
  private final long seed;

  RandomPicks(long seed) {
    this.seed = seed;
  }

  @Override
  public String name() {
    return "random";
  }

  @Override
  public List<Pick> pick(AskPool pool, int k) {
    int n = pool.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    int take = Math.min(k, n);
    List<Pick> out = new ArrayList<>(take);
    for (int i = 0; i < take; i++) { // a partial Fisher-Yates shuffle: the first k are uniform
      int j = i + random.nextInt(n - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
      out.add(new Pick(order[i], 0));
    }
    return out;
  }
}
