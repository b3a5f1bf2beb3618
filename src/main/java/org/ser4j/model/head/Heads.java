package org.ser4j.model.head;

import java.util.Map;
import org.ser4j.model.Tensor;

/** Rebuilds a head from its named tensors, recognizing the type by the names. */
public final class Heads {
  private Heads() {}

  public static RewardHead fromTensors(Map<String, Tensor> tensors) {
    if (tensors.containsKey("linear.weight")) {
      return LinearHead.fromTensors(tensors);
    }
    if (tensors.containsKey("mlp.0.weight")) {
      return MlpHead.fromTensors(tensors);
    }
    throw new IllegalArgumentException(
        "no head tensors (linear.* or mlp.*) among " + tensors.keySet());
  }
}
