package org.ser4j.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ser4j.ser.ask.Acquisition;
import org.ser4j.ser.ask.AskPool;
import org.ser4j.util.Json;

/**
 * `ser ask` strategies timed on synthetic pools: 768-d standardized pair differences, probabilities
 * in (0, 1), 150 labels held.
 */
public final class AskBench {
  private static final int DIMENSION = 768;
  private static final int HELD = 150;

  private AskBench() {}

  /**
   * One strategy picking {@code count} of {@code n} pairs; keys strategy, pool, picked, seconds.
   */
  public static ObjectNode time(int n, String strategy, int count) {
    SplittableRandom r = new SplittableRandom(7);
    float[][] diff = new float[n][DIMENSION];
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < DIMENSION; a++) {
        diff[i][a] = (float) (r.nextDouble() * 2 - 1);
      }
      p[i] = 0.02 + 0.96 * r.nextDouble();
    }
    AskPool pool =
        new AskPool(
            Arrays.copyOfRange(diff, HELD, n),
            Arrays.copyOfRange(p, HELD, n),
            Arrays.copyOf(diff, HELD),
            Arrays.copyOf(p, HELD),
            null);
    long t0 = System.nanoTime();
    int picked = Acquisition.of(strategy, 1).pick(pool, count).size();
    ObjectNode row = Json.PRETTY.createObjectNode();
    row.put("strategy", strategy);
    row.put("pool", n);
    row.put("picked", picked);
    row.put("seconds", Timing.since(t0));
    return row;
  }
}
