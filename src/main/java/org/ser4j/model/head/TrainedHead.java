package org.ser4j.model.head;

import java.util.List;
import org.ser4j.model.Epoch;

/**
 * What a {@link RewardTrainer} produces: the head (at its best validation epoch), the feature
 * normalizer it was trained with, and the loss curve.
 *
 * @param history one entry per epoch
 * @param bestEpoch the 1-based epoch whose weights were kept
 */
public record TrainedHead(
    RewardHead head,
    FeatureNormalizer normalizer,
    List<Epoch> history,
    int bestEpoch,
    int validationPairs,
    StyleFit style) {

  public TrainedHead(
      RewardHead head,
      FeatureNormalizer normalizer,
      List<Epoch> history,
      int bestEpoch,
      int validationPairs) {
    this(head, normalizer, history, bestEpoch, validationPairs, null);
  }

  public Epoch best() {
    return history.get(bestEpoch - 1);
  }
}
