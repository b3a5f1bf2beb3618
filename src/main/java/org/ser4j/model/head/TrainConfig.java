package org.ser4j.model.head;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;
import org.ser4j.data.Style;
import org.ser4j.model.Loss;

/**
 * How a reward head is trained. Defaults (chosen on HH-RLHF, see the README): linear head, Adam at
 * 1e-4 with decoupled weight decay 1e-2, batches of 64, up to 300 epochs with early stopping
 * (patience 15) on 10% of the labeled pairs held out for validation.
 *
 * @param coTraining null for one head on every feature; else one head per encoder of a
 *     several-encoder model, each taught by the others ({@link CoTraining})
 * @param debias the styles a style head explains beside the linear head, which is kept uncorrelated
 *     with them ({@link StyleTerm}); empty for none
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
    CoTraining coTraining,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Style> debias)
    implements TrainConfigBuilder.With {

  public TrainConfig {
    debias = debias == null ? List.of() : List.copyOf(debias);
    // One check for the CLI and the Java API: the style term is built for one linear head.
    if (!debias.isEmpty() && head != HeadType.LINEAR) {
      throw new IllegalArgumentException(
          "--debias needs --head linear, got --head "
              + head.name().toLowerCase(java.util.Locale.ROOT));
    }
    if (!debias.isEmpty() && coTraining != null) {
      throw new IllegalArgumentException("--debias and --views (co-training) cannot be combined");
    }
  }

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
        null,
        List.of());
  }

  public static TrainConfig defaults() {
    return new TrainConfig(HeadType.LINEAR, 256, Loss.PAIRWISE, 1e-4, 1e-2, 64, 300, 15, 0.1, 42);
  }
}
