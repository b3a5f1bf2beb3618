package org.ser4j.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Best-of-n with judged candidates: for a prompt with N candidates, draw n of them uniformly at
 * random and take the one a picker ranks first; what is its gold score, on average? The average is
 * computed exactly rather than from sampled draws: with the candidates sorted by the picker, the
 * one at rank i (0 = first) is picked iff it is drawn and none ranked above it is, which happens
 * with probability C(N-1-i, n-1) / C(N, n). That is the mean of infinitely many seeded draws;
 * {@code BestOfNTest} checks it against draws. Intervals are percentile bootstraps over prompts.
 */
public final class BestOfN {
  /** "all": every candidate of the prompt. */
  public static final int ALL = Integer.MAX_VALUE;

  private static final int BOOTSTRAP = 2000;

  private BestOfN() {}

  /** One prompt's candidates: a picker's keys (higher is picked), gold scores and lengths. */
  public record Judged(double[] keys, double[] gold, double[] lengths) {
    public Judged {
      if (keys.length != gold.length || gold.length != lengths.length || keys.length == 0) {
        throw new IllegalArgumentException("keys, gold and lengths differ in length or are empty");
      }
    }

    int size() {
      return keys.length;
    }
  }

  /** A mean over prompts with its 95% bootstrap interval. */
  public record Estimate(double mean, double low, double high) {}

  /** The pickers at one n: the RM, a random pick, the longest answer, the oracle (best gold). */
  public record Point(
      String n,
      double meanDrawn,
      Estimate rm,
      Estimate random,
      Estimate longest,
      Estimate oracle,
      Estimate rmMinusLongest,
      double rmPickLength,
      double randomPickLength,
      double longestPickLength) {}

  /**
   * P(the candidate ranked i-th of N is the pick of a random n-subset), for i = 0..N-1: the
   * recursion p_0 = n/N, p_{i+1} = p_i (N-i-n) / (N-1-i) of C(N-1-i, n-1) / C(N, n).
   */
  static double[] pickProbabilities(int size, int n) {
    int m = Math.min(n, size);
    double[] p = new double[size];
    p[0] = (double) m / size;
    for (int i = 0; i + 1 < size; i++) {
      p[i + 1] = p[i] * Math.max(0, size - i - m) / (size - 1 - i);
    }
    return p;
  }

  /**
   * The expected {@code value} of the candidate that ranks first by {@code keys} in a draw of n.
   */
  public static double expectedPick(double[] keys, double[] value, int n) {
    Integer[] order = IntStream.range(0, keys.length).boxed().toArray(Integer[]::new);
    // Highest key first; ties go to the earlier candidate, as an argmax would.
    java.util.Arrays.sort(
        order, Comparator.<Integer>comparingDouble(i -> -keys[i]).thenComparingInt(i -> i));
    double[] p = pickProbabilities(keys.length, n);
    double sum = 0;
    for (int i = 0; i < order.length; i++) {
      sum += p[i] * value[order[i]];
    }
    return sum;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  /** The curve over {@code ns} ({@link #ALL} for every candidate), with seeded intervals. */
  public static List<Point> curve(List<Judged> prompts, int[] ns, long seed) {
    List<Point> out = new ArrayList<>();
    for (int n : ns) {
      int k = prompts.size();
      double[] rm = new double[k];
      double[] random = new double[k];
      double[] longest = new double[k];
      double[] oracle = new double[k];
      double[] rmLen = new double[k];
      double[] randomLen = new double[k];
      double[] longestLen = new double[k];
      double drawn = 0;
      for (int j = 0; j < k; j++) {
        Judged p = prompts.get(j);
        rm[j] = expectedPick(p.keys(), p.gold(), n);
        random[j] = mean(p.gold());
        longest[j] = expectedPick(p.lengths(), p.gold(), n);
        oracle[j] = expectedPick(p.gold(), p.gold(), n);
        rmLen[j] = expectedPick(p.keys(), p.lengths(), n);
        randomLen[j] = mean(p.lengths());
        longestLen[j] = expectedPick(p.lengths(), p.lengths(), n);
        drawn += Math.min(n, p.size());
      }
      double[] diff = new double[k];
      for (int j = 0; j < k; j++) {
        diff[j] = rm[j] - longest[j];
      }
      long s = seed * 31 + n;
      out.add(
          new Point(
              n == ALL ? "all" : String.valueOf(n),
              drawn / k,
              bootstrap(rm, s),
              bootstrap(random, s),
              bootstrap(longest, s),
              bootstrap(oracle, s),
              bootstrap(diff, s),
              mean(rmLen),
              mean(randomLen),
              mean(longestLen)));
    }
    return out;
  }

  /** The per-prompt values' mean and its 95% percentile-bootstrap interval (seeded). */
  public static Estimate bootstrap(double[] perPrompt, long seed) {
    int k = perPrompt.length;
    double[] means = new double[BOOTSTRAP];
    SplittableRandom random = new SplittableRandom(seed);
    for (int b = 0; b < BOOTSTRAP; b++) {
      double s = 0;
      for (int j = 0; j < k; j++) {
        s += perPrompt[random.nextInt(k)];
      }
      means[b] = s / k;
    }
    java.util.Arrays.sort(means);
    return new Estimate(
        mean(perPrompt), means[(int) (0.025 * BOOTSTRAP)], means[(int) (0.975 * BOOTSTRAP) - 1]);
  }

  /** Per-prompt expected gold of the RM's pick at n: what paired comparisons of two RMs use. */
  public static double[] perPrompt(List<Judged> prompts, int n) {
    double[] out = new double[prompts.size()];
    for (int j = 0; j < out.length; j++) {
      Judged p = prompts.get(j);
      out[j] = expectedPick(p.keys(), p.gold(), n);
    }
    return out;
  }

  /** Parses "1,2,4,8,16,all". */
  public static int[] parseNs(String spec) {
    String[] parts = spec.split(",");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String t = parts[i].trim();
      if (t.equalsIgnoreCase("all")) {
        out[i] = ALL;
        continue;
      }
      try {
        out[i] = Integer.parseInt(t);
      } catch (NumberFormatException e) {
        out[i] = 0;
      }
      if (out[i] < 1) {
        throw new IllegalArgumentException(
            "--n: expected positive integers or 'all' separated by commas, got '" + t + "'");
      }
    }
    return out;
  }
}
