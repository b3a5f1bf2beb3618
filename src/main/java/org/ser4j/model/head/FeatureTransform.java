package org.ser4j.model.head;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.ser4j.util.Permutations;

/**
 * A linear map fitted on unlabeled vectors (a SER run's pool: many more than the labels) and
 * applied before the head: each encoder segment (384 wide) is centred and rotated onto its
 * principal axes, whitened ({@link Mode#WHITEN}: every axis scaled to unit variance) or cut to the
 * axes that carry 99% of its variance ({@link Mode#PCA}). A linear head trained on the mapped
 * vectors is folded back into a linear head on the raw vectors ({@link #fold}), so the model saved
 * is an ordinary linear-head model and serves as one.
 */
public record FeatureTransform(int inputDimension, List<Block> blocks) {
  /** How the pool's vectors are mapped before the head. */
  public enum Mode {
    NONE,
    WHITEN,
    PCA
  }

  /** The share of a segment's variance the PCA axes kept carry. */
  public static final double PCA_VARIANCE = 0.99;

  /** Rows read to fit: beyond it, a seeded sample (a covariance settles long before). */
  static final int MAX_ROWS = 20_000;

  /** One segment: input offset and width, its mean, and the output axes (rows) it maps onto. */
  public record Block(int offset, int width, double[] mean, double[][] axes) {}

  /** Fits on {@code rows} (distinct vectors), segments of {@code segment} dimensions. */
  public static FeatureTransform fit(float[][] rows, Mode mode, int segment, long seed) {
    if (mode == Mode.NONE) {
      throw new IllegalArgumentException("no transform to fit");
    }
    int d = rows[0].length;
    if (d % segment != 0) {
      throw new IllegalArgumentException(d + " features are not whole segments of " + segment);
    }
    float[][] sample = rows;
    if (rows.length > MAX_ROWS) {
      int[] order = Permutations.of(rows.length, new Random(seed));
      sample = new float[MAX_ROWS][];
      for (int i = 0; i < MAX_ROWS; i++) {
        sample[i] = rows[order[i]];
      }
    }
    List<Block> blocks = new ArrayList<>();
    for (int offset = 0; offset < d; offset += segment) {
      blocks.add(block(sample, offset, segment, mode));
    }
    return new FeatureTransform(d, blocks);
  }

  private static Block block(float[][] rows, int offset, int w, Mode mode) {
    int n = rows.length;
    double[] mean = new double[w];
    for (float[] x : rows) {
      for (int i = 0; i < w; i++) {
        mean[i] += x[offset + i];
      }
    }
    for (int i = 0; i < w; i++) {
      mean[i] /= n;
    }
    double[][] cov = new double[w][w];
    double[] c = new double[w];
    for (float[] x : rows) {
      for (int i = 0; i < w; i++) {
        c[i] = x[offset + i] - mean[i];
      }
      for (int i = 0; i < w; i++) {
        double ci = c[i];
        double[] row = cov[i];
        for (int j = i; j < w; j++) {
          row[j] += ci * c[j];
        }
      }
    }
    for (int i = 0; i < w; i++) {
      for (int j = i; j < w; j++) {
        cov[i][j] /= Math.max(1, n - 1);
        cov[j][i] = cov[i][j];
      }
    }
    EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(cov, false));
    double[] values = eig.getRealEigenvalues();
    Integer[] order = new Integer[w];
    for (int i = 0; i < w; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
    double total = Arrays.stream(values).map(v -> Math.max(v, 0)).sum();
    double floor = 1e-9 * Math.max(values[order[0]], 1e-30);
    List<double[]> axes = new ArrayList<>();
    double kept = 0;
    for (int k = 0; k < w; k++) {
      double v = values[order[k]];
      if (v <= floor || (mode == Mode.PCA && kept >= PCA_VARIANCE * total)) {
        break;
      }
      double[] axis = eig.getEigenvector(order[k]).toArray();
      if (mode == Mode.WHITEN) {
        double s = 1 / Math.sqrt(v);
        for (int i = 0; i < w; i++) {
          axis[i] *= s;
        }
      }
      axes.add(axis);
      kept += v;
    }
    return new Block(offset, w, mean, axes.toArray(new double[0][]));
  }

  /** Width of a mapped vector. */
  public int outputDimension() {
    return blocks.stream().mapToInt(b -> b.axes().length).sum();
  }

  public float[] apply(float[] x) {
    float[] out = new float[outputDimension()];
    int at = 0;
    for (Block b : blocks) {
      for (double[] axis : b.axes()) {
        double s = 0;
        for (int i = 0; i < b.width(); i++) {
          s += axis[i] * (x[b.offset() + i] - b.mean()[i]);
        }
        out[at++] = (float) s;
      }
    }
    return out;
  }

  /** Rows mapped; a row several pairs share is mapped once. */
  public float[][] apply(float[][] xs) {
    return PairFeatures.mapRows(xs, this::apply);
  }

  public PairFeatures apply(PairFeatures pairs) {
    return new PairFeatures(apply(pairs.chosen()), apply(pairs.rejected()));
  }

  /**
   * The linear head on raw vectors, standardized by {@code raw}, that gives what {@code head} gives
   * on mapped vectors standardized by {@code mapped}: r = w . (z - m) / s + b with z = A (x - mu)
   * is linear in x, so w' = A^T (w / s) and b' = b - w . m / s - w' . mu, re-expressed on x
   * standardized by {@code raw}.
   */
  public LinearHead fold(LinearHead head, FeatureNormalizer mapped, FeatureNormalizer raw) {
    double[] p = head.parameters();
    int k = outputDimension();
    double[] wx = new double[inputDimension];
    double bias = p[k];
    int j = 0;
    for (Block b : blocks) {
      for (double[] axis : b.axes()) {
        double wj = p[j] / mapped.std()[j];
        bias -= wj * mapped.mean()[j];
        for (int i = 0; i < b.width(); i++) {
          wx[b.offset() + i] += wj * axis[i];
          bias -= wj * axis[i] * b.mean()[i];
        }
        j++;
      }
    }
    // On x standardized by raw: w'.x = sum_i (w'_i std_i) u_i + w'.mean.
    double[] out = new double[inputDimension + 1];
    for (int i = 0; i < inputDimension; i++) {
      out[i] = wx[i] * raw.std()[i];
      bias += wx[i] * raw.mean()[i];
    }
    out[inputDimension] = bias;
    return new LinearHead(inputDimension, out);
  }
}
