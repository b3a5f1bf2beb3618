package org.ser4j.ser.ask;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * k-center greedy on feature differences: each pick is the candidate farthest from every pair
 * labeled or picked so far (score: that distance). A comparison and its reverse are one pair, so
 * the distance between d and e is min(|d - e|, |d + e|). Cost: candidates x (labeled + picks) x
 * dimension. The zero difference (a tie) counts as labeled, so the first pick with no labels is the
 * largest difference.
 */
final class KCenter implements Acquisition {
  @Override
  public String name() {
    return "diverse";
  }

  @Override
  public boolean readsDifferences() {
    return true;
  }

  @Override
  public List<Pick> pick(AskPool pool, int k) {
    float[][] diff = pool.diff();
    double[] nearest = new double[diff.length];
    Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    update(nearest, diff, new float[pool.dimension()]); // a tie: no difference at all
    for (float[] held : pool.heldDiff()) {
      update(nearest, diff, held);
    }
    List<Pick> out = new ArrayList<>();
    boolean[] taken = new boolean[diff.length];
    while (out.size() < Math.min(k, diff.length)) {
      int best = -1;
      for (int i = 0; i < diff.length; i++) {
        if (!taken[i] && (best < 0 || nearest[i] > nearest[best])) {
          best = i;
        }
      }
      taken[best] = true;
      out.add(new Pick(best, nearest[best]));
      update(nearest, diff, diff[best]);
    }
    return out;
  }

  private static void update(double[] nearest, float[][] diff, float[] center) {
    IntStream.range(0, diff.length)
        .parallel()
        .forEach(i -> nearest[i] = Math.min(nearest[i], distance(diff[i], center)));
  }

  static double distance(float[] a, float[] b) {
    double minus = 0;
    double plus = 0;
    for (int i = 0; i < a.length; i++) {
      double m = a[i] - b[i];
      double p = a[i] + b[i];
      minus += m * m;
      plus += p * p;
    }
    return Math.sqrt(Math.min(minus, plus));
  }
}
