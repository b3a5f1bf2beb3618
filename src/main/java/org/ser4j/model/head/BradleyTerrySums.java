package org.ser4j.model.head;

import org.ser4j.model.Loss;

/**
 * One pass of the full-batch Bradley-Terry objective of a linear head over training pairs: the
 * weighted sums of each pair's loss, -log sigmoid(theta . z), and of its gradient, z being the
 * chosen answer's standardized vector minus the rejected one's ((c - r) / std: the means cancel,
 * and so does the bias). Mergeable, so a cluster sums it partition by partition; {@link
 * FullBatchTrainer} adds the L2 term.
 */
public final class BradleyTerrySums implements java.io.Serializable {
  private final double[] gradient;
  private double loss;
  private double weight;
  private transient double[] scratch; // one pair's z, reused by add

  public BradleyTerrySums(int dimension) {
    gradient = new double[dimension];
  }

  /** Adds pair ({@code chosen}, {@code rejected}) with weight {@code w} at {@code theta}. */
  public BradleyTerrySums add(
      float[] chosen, float[] rejected, double w, double[] theta, float[] std) {
    if (scratch == null) {
      scratch = new double[gradient.length];
    }
    standardize(chosen, rejected, std, scratch, 0);
    return addStandardized(scratch, 0, w, theta);
  }

  /**
   * Writes a pair's z, {@code (chosen - rejected) / std} in double, to {@code out} at {@code
   * offset}: a fit whose std is fixed computes it once a pair, not once a pass.
   */
  public static void standardize(
      float[] chosen, float[] rejected, float[] std, double[] out, int offset) {
    for (int a = 0; a < std.length; a++) {
      out[offset + a] = ((double) chosen[a] - rejected[a]) / std[a];
    }
  }

  /**
   * Adds the pair whose z ({@link #standardize}) is {@code z} from {@code offset}, with weight
   * {@code w}, at {@code theta}: the same sums as {@link #add} of its vectors, to the last bit.
   */
  public BradleyTerrySums addStandardized(double[] z, int offset, double w, double[] theta) {
    double margin = 0;
    for (int a = 0; a < gradient.length; a++) {
      margin += theta[a] * z[offset + a];
    }
    loss += w * Loss.PAIRWISE.of(margin, 0).loss();
    double dMargin = w * (Loss.sigmoid(margin) - 1);
    for (int a = 0; a < gradient.length; a++) {
      gradient[a] += dMargin * z[offset + a];
    }
    weight += w;
    return this;
  }

  public BradleyTerrySums merge(BradleyTerrySums o) {
    for (int a = 0; a < gradient.length; a++) {
      gradient[a] += o.gradient[a];
    }
    loss += o.loss;
    weight += o.weight;
    return this;
  }

  /** The weighted sum of the pairs' losses. */
  public double loss() {
    return loss;
  }

  /** The weighted sum of their gradients with respect to theta. */
  public double[] gradient() {
    return gradient.clone();
  }

  /** The sum of their weights. */
  public double weight() {
    return weight;
  }
}
