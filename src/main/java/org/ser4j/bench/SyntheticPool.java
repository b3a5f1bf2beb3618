package org.ser4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;
import org.ser4j.data.SkipCounts;
import org.ser4j.data.SourceRef;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.split.SerDataset;
import org.ser4j.data.split.Splits;
import org.ser4j.model.head.HeadLearner;
import org.ser4j.model.head.PairFeatures;
import org.ser4j.model.head.SerInputs;

/**
 * SER inputs of any size without encoding: feature vectors drawn at random, preferences from a
 * hidden linear utility, as a stand-in for a feature cache. For benchmarks of the loop's own cost
 * (scoring, selection, retraining) and memory at pool sizes no shared file reaches.
 */
public final class SyntheticPool {
  private SyntheticPool() {}

  /**
   * The run's pairs (texts are placeholders) and their features, aligned: give both to {@link
   * HeadLearner#of}'s loop.
   */
  public record Synthetic(SerDataset data, SerInputs features) {}

  public static Synthetic of(
      int poolPairs, double labeledFraction, int testPairs, int dimension, long seed) {
    Random random = new Random(seed);
    double[] utility = new double[dimension];
    for (int i = 0; i < dimension; i++) {
      utility[i] = random.nextGaussian();
    }
    int total = (int) Math.round(poolPairs / (1 - labeledFraction));
    List<PreferencePair> pairs = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      pairs.add(
          new PreferencePair(
              "s" + i, Prompt.of("p"), "c" + i, "r" + i, new SourceRef("synthetic", i + 1)));
    }
    Splits.SeedAndPool split = Splits.labeledSeed(pairs, labeledFraction, seed);
    float[][] first = new float[split.pool().size()][];
    float[][] second = new float[split.pool().size()][];
    for (UnlabeledPair p : split.pool()) {
      float[][] ab = orderedPair(random, utility, split.gold().firstPreferred(p));
      first[p.key()] = ab[0];
      second[p.key()] = ab[1];
    }
    SerInputs features =
        new SerInputs(
            labeled(split.labeled().size(), random, utility),
            split.pool(),
            first,
            second,
            split.gold(),
            labeled(testPairs, random, utility),
            null);
    List<PreferencePair> test =
        pairs.subList(0, testPairs); // placeholders: only their count matters
    SerDataset.Counts counts =
        new SerDataset.Counts(total, 0, new SkipCounts(0), new SkipCounts(0), 0, total);
    return new Synthetic(
        new SerDataset(split.labeled(), split.pool(), split.gold(), test, counts), features);
  }

  private static PairFeatures labeled(int n, Random random, double[] utility) {
    float[][] c = new float[n][];
    float[][] r = new float[n][];
    for (int i = 0; i < n; i++) {
      float[][] ab = orderedPair(random, utility, true);
      c[i] = ab[0];
      r[i] = ab[1];
    }
    return new PairFeatures(c, r);
  }

  /**
   * Two random vectors; the one with the higher utility plus logistic noise comes first iff {@code
   * firstWins}.
   */
  private static float[][] orderedPair(Random random, double[] utility, boolean firstWins) {
    float[] a = new float[utility.length];
    float[] b = new float[utility.length];
    double diff = 0;
    for (int i = 0; i < utility.length; i++) {
      a[i] = (float) random.nextGaussian();
      b[i] = (float) random.nextGaussian();
      diff += utility[i] * (a[i] - b[i]);
    }
    double u = random.nextDouble();
    boolean aWins = diff / Math.sqrt(utility.length) + Math.log(u / (1 - u)) > 0;
    return aWins == firstWins ? new float[][] {a, b} : new float[][] {b, a};
  }
}
