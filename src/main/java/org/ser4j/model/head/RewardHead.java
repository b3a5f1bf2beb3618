package org.ser4j.model.head;

import java.util.Map;
import org.ser4j.model.Tensor;

/**
 * The trainable part of a reward model: a function from a (normalized) feature vector to a real
 * reward. Parameters live in one flat array so that one optimizer serves every head.
 */
public interface RewardHead {
  int inputDimension();

  /** The reward r(x). */
  double score(float[] x);

  /**
   * {@code out[k - from] = score(z(xs[rows[k]]))} for k in [from, to): a batch's rewards, where z
   * standardizes a row with {@code normalizer} (null: the rows are standardized already). A head
   * may compute several at a time, and standardize as it goes; each reward is the same to the bit
   * as {@link #score} of the standardized row. {@code rows} null: rows from to to in order.
   */
  default void scoreRows(
      float[][] xs, FeatureNormalizer normalizer, int[] rows, int from, int to, double[] out) {
    for (int k = from; k < to; k++) {
      float[] x = xs[rows == null ? k : rows[k]];
      out[k - from] = score(normalizer == null ? x : normalizer.apply(x));
    }
  }

  /**
   * Adds {@code dScore} times the gradient of r(x) with respect to every parameter to {@code grad}.
   */
  void backward(float[] x, double dScore, double[] grad);

  /** The live parameter vector (the optimizer updates it in place). */
  double[] parameters();

  /** Which parameters weight decay applies to (weights yes, biases no). */
  boolean[] decayMask();

  /** The parameters as named tensors with shapes, in PyTorch's nn.Linear layout ([out, in]). */
  Map<String, Tensor> tensors();

  /** A copy with its own parameters. */
  RewardHead copy();
}
