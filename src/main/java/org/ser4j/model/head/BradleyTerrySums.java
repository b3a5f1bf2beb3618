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

  public BradleyTerrySums(int dimension) {
    gradient = new double[dimension];
  }

  /** Adds pair ({@code chosen}, {@code rejected}) with weight {@code w} at {@code theta}. */
  public BradleyTerrySums add(
      float[] chosen, float[] rejected, double w, double[] theta, float[] std) {
    double margin = 0;
    for (int a = 0; a < gradient.length; a++) {
      margin += theta[a] * (((double) chosen[a] - rejected[a]) / std[a]);
    }
    loss += w * Loss.PAIRWISE.of(margin, 0).loss();
    double dMargin = w * (Loss.sigmoid(margin) - 1);
    for (int a = 0; a < gradient.length; a++) {
      gradient[a] += dMargin * (((double) chosen[a] - rejected[a]) / std[a]);
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
