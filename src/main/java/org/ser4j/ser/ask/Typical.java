package org.ser4j.ser.ask;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * TypiClust (Hacohen, Dekel and Weinshall, "Active Learning on a Budget", ICML 2022: with few
 * labels, typical examples teach more than uncertain or outlying ones). The candidates' feature
 * differences are clustered by k-means into (pairs labeled + k) clusters; each pick is the most
 * typical candidate (the inverse of its mean distance to its 20 nearest neighbours in its cluster)
 * of the largest cluster that no labeled or picked pair falls in. A comparison and its reverse are
 * one pair: distances are min(|d - c|, |d + c|), and a member joins its centroid's mean on the
 * centroid's side. Cost: candidates x clusters x dimension per k-means pass, and each cluster's
 * members pairwise once.
 */
final class Typical implements Acquisition {
  private static final int NEIGHBOURS = 20;
  private static final int PASSES = 20;
  private final long seed;

  Typical(long seed) {
    this.seed = seed;
  }

  @Override
  public String name() {
    return "typical";
  }

  @Override
  public boolean readsDifferences() {
    return true;
  }

  @Override
  public List<Pick> pick(AskPool pool, int k) {
    float[][] d = pool.diff();
    int n = d.length;
    int want = Math.min(k, n);
    if (want == 0) {
      return List.of();
    }
    int clusters = Math.min(n, pool.heldDiff().length + want);
    double[][] centers = seeds(d, clusters, new Random(seed * 0x9E3779B97F4A7C15L + 3));
    int[] member = new int[n];
    for (int pass = 0; pass < PASSES; pass++) {
      double[][] c = centers;
      double[] cc = squares(c);
      int[] next = IntStream.range(0, n).parallel().map(i -> nearest(d[i], c, cc)).toArray();
      boolean moved = pass == 0 || !Arrays.equals(next, member);
      member = next;
      centers = means(d, member, centers);
      if (!moved) {
        break;
      }
    }
    boolean[] covered = new boolean[clusters];
    double[] cc = squares(centers);
    for (float[] h : pool.heldDiff()) {
      covered[nearest(h, centers, cc)] = true;
    }
    List<List<Integer>> members = new ArrayList<>();
    for (int c = 0; c < clusters; c++) {
      members.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      members.get(member[i]).add(i);
    }
    Integer[] bySize = new Integer[clusters];
    for (int c = 0; c < clusters; c++) {
      bySize[c] = c;
    }
    Arrays.sort(bySize, Comparator.comparingInt((Integer c) -> -members.get(c).size()));
    boolean[] taken = new boolean[n];
    List<Pick> out = new ArrayList<>();
    // Uncovered clusters first, largest first; then again over every cluster, while picks remain.
    for (int round = 0; out.size() < want; round++) {
      for (int c : bySize) {
        if (out.size() == want) {
          break;
        }
        if ((round == 0 && covered[c]) || members.get(c).isEmpty()) {
          continue;
        }
        Pick p = mostTypical(d, members.get(c), taken);
        if (p != null) {
          taken[p.index()] = true;
          out.add(p);
        }
      }
    }
    return out;
  }

  /** The member not taken with the largest typicality, or null. */
  private static Pick mostTypical(float[][] d, List<Integer> members, boolean[] taken) {
    int m = members.size();
    double[][] dist = new double[m][m];
    IntStream.range(0, m)
        .parallel()
        .forEach(
            a -> {
              for (int b = a + 1; b < m; b++) {
                double x = KCenter.distance(d[members.get(a)], d[members.get(b)]);
                dist[a][b] = x;
                dist[b][a] = x;
              }
            });
    Pick best = null;
    for (int a = 0; a < m; a++) {
      int i = members.get(a);
      if (taken[i]) {
        continue;
      }
      double[] row = dist[a].clone();
      row[a] = Double.POSITIVE_INFINITY;
      Arrays.sort(row);
      int kn = Math.min(NEIGHBOURS, m - 1);
      double mean = 0;
      for (int j = 0; j < kn; j++) {
        mean += row[j];
      }
      double typicality = kn == 0 ? 0 : 1 / (mean / kn + 1e-12);
      if (best == null || typicality > best.score()) {
        best = new Pick(i, typicality);
      }
    }
    return best;
  }

  /** k-means++ seeding on the sign-free distance. */
  private static double[][] seeds(float[][] d, int k, Random random) {
    int n = d.length;
    double[][] centers = new double[k][];
    centers[0] = toDouble(d[random.nextInt(n)]);
    double[] nearest = new double[n];
    Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    double[] xx = IntStream.range(0, n).parallel().mapToDouble(i -> square(d[i])).toArray();
    for (int c = 1; c < k; c++) {
      double[] last = centers[c - 1];
      double cc = square(last);
      IntStream.range(0, n)
          .parallel()
          .forEach(i -> nearest[i] = Math.min(nearest[i], gap(xx[i], dot(d[i], last), cc)));
      double total = 0;
      for (double x : nearest) {
        total += x;
      }
      double r = random.nextDouble() * total;
      int pick = n - 1;
      for (int i = 0; i < n; i++) {
        r -= nearest[i];
        if (r <= 0) {
          pick = i;
          break;
        }
      }
      centers[c] = toDouble(d[pick]);
    }
    return centers;
  }

  /** Each cluster's mean, members on its centroid's side; an empty cluster keeps its centroid. */
  private static double[][] means(float[][] d, int[] member, double[][] old) {
    int k = old.length;
    int dim = old[0].length;
    double[][] sum = new double[k][dim];
    int[] count = new int[k];
    for (int i = 0; i < d.length; i++) {
      int c = member[i];
      double s = Math.signum(dot(d[i], old[c]));
      if (s == 0) {
        s = 1;
      }
      for (int a = 0; a < dim; a++) {
        sum[c][a] += s * d[i][a];
      }
      count[c]++;
    }
    for (int c = 0; c < k; c++) {
      if (count[c] == 0) {
        sum[c] = old[c];
      } else {
        for (int a = 0; a < dim; a++) {
          sum[c][a] /= count[c];
        }
      }
    }
    return sum;
  }

  private static int nearest(float[] x, double[][] centers, double[] cc) {
    double xx = square(x);
    int best = 0;
    double bestGap = Double.POSITIVE_INFINITY;
    for (int c = 0; c < centers.length; c++) {
      double g = gap(xx, dot(x, centers[c]), cc[c]);
      if (g < bestGap) {
        best = c;
        bestGap = g;
      }
    }
    return best;
  }

  /** min(|x - c|^2, |x + c|^2) = |x|^2 + |c|^2 - 2 |x . c|, from |x|^2, x . c and |c|^2. */
  private static double gap(double xx, double xc, double cc) {
    return Math.max(0, xx + cc - 2 * Math.abs(xc));
  }

  private static double square(float[] x) {
    double s = 0;
    for (float v : x) {
      s += (double) v * v;
    }
    return s;
  }

  private static double square(double[] c) {
    double s = 0;
    for (double v : c) {
      s += v * v;
    }
    return s;
  }

  private static double[] squares(double[][] centers) {
    double[] out = new double[centers.length];
    for (int c = 0; c < out.length; c++) {
      out[c] = square(centers[c]);
    }
    return out;
  }

  private static double dot(float[] x, double[] c) {
    double s = 0;
    for (int a = 0; a < x.length; a++) {
      s += x[a] * c[a];
    }
    return s;
  }

  private static double[] toDouble(float[] x) {
    double[] out = new double[x.length];
    for (int a = 0; a < x.length; a++) {
      out[a] = x[a];
    }
    return out;
  }
}
