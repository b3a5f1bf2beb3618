package org.ser4j.ser.ask;

import java.util.List;
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
 * which can choose a first seed. The first gains go through the labels' small matrix when there are
 * fewer labels than dimensions; the picks are made by {@link BlockGreedy}.
 */
final class DOptimal implements Acquisition {
  /** The prior's precision: M starts at RIDGE * I (features are standardized per dimension). */
  static final double RIDGE = 1.0;

  /** The prior's precision for unit-length differences: small, so that directions count. */
  static final double UNIT_RIDGE = 0.01;

  /**
   * The prior's precision on the encoder's own features (unit-length embeddings, so a difference is
   * at most 2 long per encoder): small, as for unit-length differences.
   */
  static final double RAW_RIDGE = 0.01;

  /** Where the design is made. */
  enum Space {
    /** The head's input space: standardized features. */
    HEAD("fisher"),
    /** Unit-length differences in the head's input space: directions only. */
    UNIT("fisher-unit"),
    /**
     * The encoder's own features, before standardization: with few labels the standardizing
     * deviations come from a few dozen vectors, and dimensions that barely varied among them make
     * every pool pair that differs there look informative.
     */
    RAW("fisher-raw");

    final String strategy;

    Space(String strategy) {
      this.strategy = strategy;
    }
  }

  private final double ridge;
  private final Space space;

  /** Greedy D-optimal design with a prior of precision {@code ridge}, made in {@code space}. */
  DOptimal(double ridge, Space space) {
    this.ridge = ridge;
    this.space = space;
  }

  @Override
  public String name() {
    return space.strategy;
  }

  @Override
  public boolean readsDifferences() {
    return true;
  }

  @Override
  public List<Pick> pick(AskPool pool, int k) {
    if (space == Space.UNIT) {
      pool =
          new AskPool(
              normalized(pool.diff()),
              pool.p(),
              normalized(pool.heldDiff()),
              pool.heldP(),
              pool.ensembleP());
    } else if (space == Space.RAW && pool.rawScale() != null) {
      pool =
          new AskPool(
              scaled(pool.diff(), pool.rawScale()),
              pool.p(),
              scaled(pool.heldDiff(), pool.rawScale()),
              pool.heldP(),
              pool.ensembleP());
    }
    int n = pool.size();
    int dim = pool.dimension();
    float[][] diff = pool.diff();
    double[][] inverse = initialInverse(pool, dim);
    // Every candidate's q = d' M^-1 d: one pick with u = M^-1 d* lowers each q by c (d . u)^2
    // (Sherman-Morrison), brought up to date lazily within blocks of picks (BlockGreedy).
    double[] q = initialForms(pool, dim, inverse);
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = weight(pool.p(i));
    }
    return new BlockGreedy(diff, w, q, inverse).pick(k);
  }

  /**
   * d' M^-1 d for every candidate, M = ridge I + A'A with A the labeled pairs' differences scaled
   * by sqrt(p(1 - p)). With fewer labels than dimensions, through the labels' small matrix
   * (Woodbury): d' M^-1 d = (|d|^2 - |L^-1 A d|^2) / ridge, L L' = ridge I + A A'.
   */
  private double[] initialForms(AskPool pool, int dim, double[][] inverse) {
    float[][] held = pool.heldDiff();
    int h = held.length;
    float[][] diff = pool.diff();
    if (h >= dim) {
      return quadraticForms(inverse, diff); // as many labels as dimensions: M^-1 itself
    }
    double[][] a = new double[h][dim];
    for (int j = 0; j < h; j++) {
      double s = Math.sqrt(weight(pool.heldP(j)));
      for (int c = 0; c < dim; c++) {
        a[j][c] = s * held[j][c];
      }
    }
    double[][] kernel = new double[h][h];
    for (int r = 0; r < h; r++) {
      for (int c = 0; c <= r; c++) {
        double dot = 0;
        for (int x = 0; x < dim; x++) {
          dot += a[r][x] * a[c][x];
        }
        kernel[r][c] = dot + (r == c ? ridge : 0);
        kernel[c][r] = kernel[r][c];
      }
    }
    double[][] l =
        h == 0
            ? new double[0][0]
            : new CholeskyDecomposition(MatrixUtils.createRealMatrix(kernel)).getL().getData();
    double[][] aByDim = new double[dim][h];
    for (int j = 0; j < h; j++) {
      for (int c = 0; c < dim; c++) {
        aByDim[c][j] = a[j][c];
      }
    }
    double[] out = new double[diff.length];
    ManyDots.forEachRow(
        diff, i -> true, aByDim, h, (i, ad) -> out[i] = woodburyForm(diff[i], ad, l, h));
    return out;
  }

  /** (|d|^2 - |z|^2) / ridge with L z = A d (forward substitution), given A d. */
  private double woodburyForm(float[] d, double[] ad, double[][] l, int h) {
    double norm = 0;
    for (float x : d) {
      norm += (double) x * x;
    }
    double[] z = new double[h];
    for (int r = 0; r < h; r++) {
      double v = ad[r];
      for (int c = 0; c < r; c++) {
        v -= l[r][c] * z[c];
      }
      z[r] = v / l[r][r];
    }
    double zz = 0;
    for (double x : z) {
      zz += x * x;
    }
    return (norm - zz) / ridge;
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
                s += d[r] * dot(d, a[r]);
              }
              out[i] = s;
            });
    return out;
  }

  /** d . u with four accumulators (independent chains the CPU can overlap). */
  static double dot(float[] d, double[] u) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < d.length; i += 4) {
      s0 += d[i] * u[i];
      s1 += d[i + 1] * u[i + 1];
      s2 += d[i + 2] * u[i + 2];
      s3 += d[i + 3] * u[i + 3];
    }
    for (; i < d.length; i++) {
      s0 += d[i] * u[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  private static float[][] scaled(float[][] rows, float[] scale) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = new float[rows[i].length];
      for (int a = 0; a < out[i].length; a++) {
        out[i][a] = rows[i][a] * scale[a];
      }
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
}
