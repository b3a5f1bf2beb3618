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
   * {@code out[k - from] = score(xs[rows[k]])} for k in [from, to) ({@code rows} null: rows from to
   * to in order): a batch's rewards, which a head may compute several at a time, each the same to
   * the bit as {@link #score} gives it.
   */
  default void scoreRows(float[][] xs, int[] rows, int from, int to, double[] out) {
    for (int k = from; k < to; k++) {
      out[k - from] = score(xs[rows == null ? k : rows[k]]);
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
