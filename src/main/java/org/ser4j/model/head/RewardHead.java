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
