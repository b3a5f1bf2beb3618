package org.ser4j.model;

import java.util.Map;

/** Rebuilds a head from its named tensors, recognizing the type by the names. */
final class Heads {
  private Heads() {}

  static RewardHead fromTensors(Map<String, RewardHead.Tensor> tensors) {
    if (tensors.containsKey("linear.weight")) {
      return LinearHead.fromTensors(tensors);
    }
    if (tensors.containsKey("mlp.0.weight")) {
      return MlpHead.fromTensors(tensors);
    }
    throw new IllegalArgumentException("no head tensors (linear.* or mlp.*) among " + tensors.keySet());
  }
}
