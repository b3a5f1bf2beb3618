package org.ser4j.ser.ask;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Greedy D-optimal design on the Fisher information of a Bradley-Terry head (after Shen, Sun & Ton,
 * "Active Reward Modeling", ICML 2025): a labeled pair with feature difference d and probability p
 * adds p(1 - p) d d' to the head's information matrix M. Each pick maximizes log det M, that is the
 * gain log(1 + p(1 - p) d' M^-1 d), then M is updated by one rank-one (Sherman-Morrison) step, so a
 * batch is chosen jointly. Past-aware: M starts from the ridge plus the pairs already labeled. With
 * no model yet (p = 0.5 for every pair) it is the D-optimal design on feature differences alone,
 * which can choose a first seed. Lazy evaluation: log det is submodular, so a candidate's gain only
 * falls as picks are made, and only the top candidates' gains are recomputed.
 */
final class DOptimal implements Acquisition {
  /** The prior's precision: M starts at RIDGE * I (features are standardized per dimension). */
  static final double RIDGE = 1.0;

  /** The prior's precision for unit-length differences: small, so that directions count. */
  static final double UNIT_RIDGE = 0.01;

  private final double ridge;
  private final boolean unit;

  /**
   * @param unit design on unit-length differences (directions only), so that pairs whose answers
   *     differ most in every way (outliers) do not win on length alone
   */
  DOptimal(double ridge, boolean unit) {
    this.ridge = ridge;
    this.unit = unit;
  }

  @Override
  public String name() {
    return unit ? "fisher-unit" : "fisher";
  }

  @Override
  public List<Pick> pick(AskPool pool, int k) {
    if (unit) {
      pool =
          new AskPool(
              normalized(pool.diff()),
              pool.p(),
              normalized(pool.heldDiff()),
              pool.heldP(),
              pool.ensembleP());
    }
    int n = pool.size();
    int dim = pool.dimension();
    double[][] inverse = initialInverse(pool, dim);
    // Upper bounds of each candidate's gain: exact against the starting M.
    double[] bound = quadraticForms(inverse, pool.diff());
    PriorityQueue<double[]> heap =
        new PriorityQueue<>(
            Math.max(1, n),
            (a, b) -> a[0] != b[0] ? Double.compare(b[0], a[0]) : Double.compare(a[1], b[1]));
    for (int i = 0; i < n; i++) {
      heap.add(new double[] {Math.log1p(weight(pool.p(i)) * bound[i]), i});
    }
    List<Pick> out = new ArrayList<>();
    double[] u = new double[dim];
    while (out.size() < k && !heap.isEmpty()) {
      double[] top = heap.poll();
      int i = (int) top[1];
      float[] d = pool.diff()[i];
      multiply(inverse, d, u);
      double q = dot(d, u);
      double gain = Math.log1p(weight(pool.p(i)) * q);
      if (!heap.isEmpty() && gain < heap.peek()[0] - 1e-12) {
        heap.add(new double[] {gain, i}); // stale: back in with its current gain
        continue;
      }
      out.add(new Pick(i, gain));
      rankOne(inverse, u, weight(pool.p(i)), q);
    }
    return out;
  }

  private static float[][] normalized(float[][] rows) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      double norm = 0;
      for (float x : rows[i]) {
        norm += (double) x * x;
      }
      double scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      out[i] = new float[rows[i].length];
      for (int a = 0; a < out[i].length; a++) {
        out[i][a] = (float) (rows[i][a] * scale);
      }
    }
    return out;
  }

  /** p(1 - p): how much a label of this pair tells a Bradley-Terry head. */
  static double weight(double p) {
    return p * (1 - p);
  }

  /** M^-1 for M = ridge I + sum over labeled pairs of p(1 - p) d d'. */
  private double[][] initialInverse(AskPool pool, int dim) {
    double[][] m = new double[dim][dim];
    for (int a = 0; a < dim; a++) {
      m[a][a] = ridge;
    }
    float[][] held = pool.heldDiff();
    for (int j = 0; j < held.length; j++) {
      double w = weight(pool.heldP(j));
      float[] d = held[j];
      for (int a = 0; a < dim; a++) {
        double wa = w * d[a];
        double[] row = m[a];
        for (int b = 0; b <= a; b++) {
          row[b] += wa * d[b];
        }
      }
    }
    for (int a = 0; a < dim; a++) {
      for (int b = 0; b < a; b++) {
        m[b][a] = m[a][b];
      }
    }
    RealMatrix inv =
        new CholeskyDecomposition(MatrixUtils.createRealMatrix(m)).getSolver().getInverse();
    return inv.getData();
  }

  /** d' A d for every row d (A symmetric), in parallel. */
  static double[] quadraticForms(double[][] a, float[][] rows) {
    double[] out = new double[rows.length];
    IntStream.range(0, rows.length)
        .parallel()
        .forEach(
            i -> {
              float[] d = rows[i];
              double s = 0;
              for (int r = 0; r < d.length; r++) {
                double[] row = a[r];
                double t = 0;
                for (int c = 0; c < d.length; c++) {
                  t += row[c] * d[c];
                }
                s += d[r] * t;
              }
              out[i] = s;
            });
    return out;
  }

  private static void multiply(double[][] a, float[] d, double[] out) {
    for (int r = 0; r < d.length; r++) {
      double t = 0;
      double[] row = a[r];
      for (int c = 0; c < d.length; c++) {
        t += row[c] * d[c];
      }
      out[r] = t;
    }
  }

  private static double dot(float[] d, double[] u) {
    double s = 0;
    for (int i = 0; i < d.length; i++) {
      s += d[i] * u[i];
    }
    return s;
  }

  /** M^-1 for M + w d d': M^-1 - w u u' / (1 + w d' u), with u = M^-1 d and q = d' u. */
  private static void rankOne(double[][] inverse, double[] u, double w, double q) {
    double c = w / (1 + w * q);
    for (int r = 0; r < u.length; r++) {
      double cu = c * u[r];
      double[] row = inverse[r];
      for (int s = 0; s < u.length; s++) {
        row[s] -= cu * u[s];
      }
    }
  }
}
