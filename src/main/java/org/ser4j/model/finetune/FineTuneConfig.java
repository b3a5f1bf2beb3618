package org.ser4j.model.finetune;

import io.soabase.recordbuilder.core.RecordBuilder;
import org.ser4j.model.Loss;

/**
 * How a reward model with a learning encoder is trained. Defaults: the best measured learning rates
 * per mode on HH-RLHF ({@link #defaultEncoderLr}; head 1e-2, see the README), the paper where it
 * says (2 epochs; LoRA rank 8, alpha 32, dropout 0.1) and common BERT fine-tuning practice where it
 * does not (16 pairs a step, 10% linear warm-up then linear decay, clipping at global norm 1,
 * weight decay 1e-2 on weights only).
 *
 * @param accumulation batches whose gradients add up before one optimizer step
 * @param patience epochs without a better validation loss before stopping (the best epoch's weights
 *     are kept either way)
 * @param probeHead start the head from a linear probe: a head fitted (by {@link RewardTrainer}) on
 *     the pooled vectors of the network as it is, before any encoder weight moves ("LP-FT", Kumar
 *     et al. 2022); without it the head starts near zero and a small seed set gives flat rewards
 */
@RecordBuilder
public record FineTuneConfig(
    FineTuneMode mode,
    int loraRank,
    double loraAlpha,
    double loraDropout,
    double encoderLr,
    double headLr,
    double weightDecay,
    int epochs,
    int batchSize,
    int accumulation,
    double warmupFraction,
    double clipNorm,
    int patience,
    boolean probeHead,
    Loss loss,
    double validationFraction,
    long seed)
    implements FineTuneConfigBuilder.With {

  public static FineTuneConfig defaults(FineTuneMode mode) {
    return new FineTuneConfig(
        mode,
        8,
        32,
        0.1,
        defaultEncoderLr(mode),
        DEFAULT_HEAD_LR,
        1e-2,
        2,
        16,
        1,
        0.1,
        1.0,
        1,
        true,
        Loss.PAIRWISE,
        0.1,
        42);
  }

  /** The reward head's learning rate by default (1e-3 before 2026-11-25). */
  public static final double DEFAULT_HEAD_LR = 1e-2;

  /**
   * The encoder's learning rate by default, per mode: the best measured on HH-RLHF (README): top:K
   * 1e-4, full 5e-5, LoRA 5e-4 (the paper's 2e-5 before 2026-11-25, which left full fine-tuning at
   * 0.581, below the frozen encoder).
   */
  public static double defaultEncoderLr(FineTuneMode mode) {
    return switch (mode.kind()) {
      case TOP -> 1e-4;
      case LORA -> 5e-4;
      default -> 5e-5;
    };
  }

  /**
   * Learning-rate multiplier at optimizer step {@code step} (1-based) of {@code total}: linear
   * warm-up, then linear decay to 0.
   */
  public double schedule(int step, int total) {
    int warm = (int) Math.ceil(warmupFraction * total);
    if (step <= warm) {
      return (double) step / Math.max(1, warm);
    }
    return Math.max(0.0, (double) (total - step + 1) / Math.max(1, total - warm));
  }
}
