package org.ser4j.ser.ask;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Query by committee: the pairs on which bootstrap heads (each fitted on a resample of the labels)
 * disagree most, by the variance of their probabilities.
 */
final class Disagreement implements Acquisition {
  @Override
  public String name() {
    return "ensemble";
  }

  @Override
  public boolean readsEnsemble() {
    return true;
  }

  @Override
  public List<Pick> pick(AskPool pool, int k) {
    double[][] e = pool.ensembleP();
    if (e == null || e.length < 2) {
      throw new IllegalArgumentException("the ensemble strategy needs two or more bootstrap heads");
    }
    double[] variance = new double[pool.size()];
    for (int i = 0; i < variance.length; i++) {
      double mean = 0;
      for (double[] head : e) {
        mean += head[i];
      }
      mean /= e.length;
      double v = 0;
      for (double[] head : e) {
        v += (head[i] - mean) * (head[i] - mean);
      }
      variance[i] = v / (e.length - 1);
    }
    List<Pick> out = new ArrayList<>();
    IntStream.range(0, variance.length)
        .boxed()
        .sorted(Comparator.<Integer>comparingDouble(i -> -variance[i]).thenComparingInt(i -> i))
        .limit(k)
        .forEach(i -> out.add(new Pick(i, variance[i])));
    return out;
  }
}
