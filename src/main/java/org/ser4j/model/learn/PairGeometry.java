package org.ser4j.model.learn;

import java.util.List;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.model.TrainedModel;

/**
 * Where pairs lie for a model's reward head: each pair's feature difference x(first) - x(second) in
 * the head's input space (for a linear Bradley-Terry head, P(first preferred) = sigmoid(w . d)).
 * What acquisition strategies that weigh information or spread need. The frozen-encoder learner
 * offers it on its (standardized) features, the fine-tuning learner on the network's pooled last
 * layer under the model's weights.
 */
public interface PairGeometry {
  /** The differences of pool pairs (first minus second), in order. */
  float[][] poolDifferences(TrainedModel model, List<UnlabeledPair> pairs);

  /** The differences of a training set's pairs (chosen minus rejected), in order. */
  float[][] differences(TrainedModel model, TrainingSet pairs);

  /**
   * Per dimension, the factor from the head's input space back to the encoder's own features (a
   * standardizing head's deviations), or null where the head reads the features as they are.
   */
  default float[] rawScale(TrainedModel model) {
    return null;
  }
}
