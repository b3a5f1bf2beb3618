package org.ser4j.ser.ask;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The pairs whose probability is nearest 0.5 (score 1 - 2|p - 0.5|). A temperature rescales every
 * margin alike, so calibrated and raw probabilities rank the pairs the same.
 */
final class Uncertainty implements Acquisition {
  @Override
  public String name() {
    return "uncertainty";
  }

  @Override
  public List<Pick> pick(AskPool pool, int k) {
    List<Pick> out = new ArrayList<>();
    IntStream.range(0, pool.size())
        .boxed()
        .sorted(
            Comparator.<Integer>comparingDouble(i -> Math.abs(pool.p(i) - 0.5))
                .thenComparingInt(i -> i))
        .limit(k)
        .forEach(i -> out.add(new Pick(i, 1 - 2 * Math.abs(pool.p(i) - 0.5))));
    return out;
  }
}
