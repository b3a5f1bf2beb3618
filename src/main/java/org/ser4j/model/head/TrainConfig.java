package org.ser4j.model.head;

import io.soabase.recordbuilder.core.RecordBuilder;
import org.ser4j.model.Loss;

/**
 * How a reward head is trained. Defaults (chosen on HH-RLHF, see the README): linear head, Adam at
 * 1e-4 with decoupled weight decay 1e-2, batches of 64, up to 300 epochs with early stopping
 * (patience 15) on 10% of the labeled pairs held out for validation.
 *
 * @param coTraining null for one head on every feature; else one head per encoder of a
 *     several-encoder model, each taught by the others ({@link CoTraining})
 */
@RecordBuilder
public record TrainConfig(
    HeadType head,
    int hidden,
    Loss loss,
    double learningRate,
    double weightDecay,
    int batchSize,
    int maxEpochs,
    int patience,
    double validationFraction,
    long seed,
    CoTraining coTraining)
    implements TrainConfigBuilder.With {

  /** Without co-training: one head on every feature. */
  public TrainConfig(
      HeadType head,
      int hidden,
      Loss loss,
      double learningRate,
      double weightDecay,
      int batchSize,
      int maxEpochs,
      int patience,
      double validationFraction,
      long seed) {
    this(
        head,
        hidden,
        loss,
        learningRate,
        weightDecay,
        batchSize,
        maxEpochs,
        patience,
        validationFraction,
        seed,
        null);
  }

  public static TrainConfig defaults() {
    return new TrainConfig(HeadType.LINEAR, 256, Loss.PAIRWISE, 1e-4, 1e-2, 64, 300, 15, 0.1, 42);
  }
}
