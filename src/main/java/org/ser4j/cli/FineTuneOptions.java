package org.ser4j.cli;

import org.ser4j.model.finetune.FineTuneConfig;
import org.ser4j.model.finetune.FineTuneMode;
import org.ser4j.model.head.TrainConfig;
import picocli.CommandLine.Option;

/**
 * Whether and how the encoder itself learns. Defaults are {@link FineTuneConfig#defaults}; loss and
 * weight decay come from the head options.
 */
public final class FineTuneOptions {
  @Option(
      names = "--finetune",
      paramLabel = "MODE",
      defaultValue = "none",
      description =
          "none (frozen encoder, trained head), top:K (the top K transformer layers and the head learn; the layers below run once per text), "
              + "full (every transformer layer), lora (LoRA adapters on the attention projections) (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--encoder-lr",
      paramLabel = "X",
      defaultValue = "auto",
      description =
          "Peak learning rate of the encoder's weights when fine-tuning; auto = the best measured per mode on HH-RLHF: top:K 1e-4, full 5e-5, lora 5e-4 (default: ${DEFAULT-VALUE}).")
  String encoderLr;

  @Option(
      names = "--finetune-head-lr",
      paramLabel = "X",
      defaultValue = "" + FineTuneConfig.DEFAULT_HEAD_LR,
      description =
          "Peak learning rate of the reward head when fine-tuning (default: ${DEFAULT-VALUE}).")
  double headLr;

  @Option(
      names = "--finetune-epochs",
      paramLabel = "N",
      defaultValue = "2",
      description = "Epochs when fine-tuning (default: ${DEFAULT-VALUE}, as the paper).")
  int epochs;

  @Option(
      names = "--finetune-batch",
      paramLabel = "N",
      defaultValue = "16",
      description = "Pairs per forward/backward pass when fine-tuning (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--accumulate",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Batches whose gradients add up before one optimizer step (default: ${DEFAULT-VALUE}).")
  int accumulate;

  @Option(
      names = "--warmup",
      paramLabel = "F",
      defaultValue = "0.1",
      description =
          "Share of optimizer steps with a linearly rising learning rate; it then falls linearly to 0 (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(
      names = "--clip",
      paramLabel = "X",
      defaultValue = "1.0",
      description =
          "Clip gradients to this global L2 norm; 0 turns clipping off (default: ${DEFAULT-VALUE}).")
  double clip;

  @Option(
      names = "--finetune-patience",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Stop fine-tuning after this many epochs without a lower validation loss (default: ${DEFAULT-VALUE}).")
  int patience;

  @Option(
      names = "--probe-head",
      negatable = true,
      description =
          "Start the head from a linear probe fitted on the pretrained network's pooled vectors before the encoder learns (LP-FT); --no-probe-head starts it near zero (default: on for evolve and experiment, where Loop 0 must rank the pool from a small seed; off for train, measured better there).")
  Boolean probeHead;

  @Option(
      names = "--lora-rank",
      paramLabel = "R",
      defaultValue = "8",
      description = "LoRA rank (default: ${DEFAULT-VALUE}, as the paper).")
  int loraRank;

  @Option(
      names = "--lora-alpha",
      paramLabel = "A",
      defaultValue = "32",
      description =
          "LoRA alpha; adapters are scaled by alpha / rank (default: ${DEFAULT-VALUE}, as the paper).")
  double loraAlpha;

  @Option(
      names = "--lora-dropout",
      paramLabel = "P",
      defaultValue = "0.1",
      description =
          "Dropout on the LoRA adapters' input while training (default: ${DEFAULT-VALUE}, as the paper).")
  double loraDropout;

  @Option(
      names = "--attention-heads",
      paramLabel = "N",
      defaultValue = "12",
      description =
          "Attention heads of the encoder being fine-tuned (12 for MiniLM, bge-small and BERT-base) (default: ${DEFAULT-VALUE}).")
  int heads;

  FineTuneMode mode() {
    return FineTuneMode.parse(mode);
  }

  boolean enabled() {
    return mode().learnsEncoder();
  }

  /**
   * The fine-tuning settings (loss and weight decay as the {@code head}'s), or null without
   * --finetune; {@code probeByDefault}: whether the head starts from a linear probe unless
   * --probe-head / --no-probe-head says.
   */
  FineTuneConfig toConfig(
      TrainConfig head, double validationFraction, long seed, boolean probeByDefault) {
    if (!enabled()) {
      return null;
    }
    double encoderRate =
        AutoOr.number("--encoder-lr", encoderLr, FineTuneConfig.defaultEncoderLr(mode()));
    if (epochs < 1 || batch < 1 || accumulate < 1 || patience < 1 || loraRank < 1 || heads < 1) {
      throw new IllegalArgumentException(
          "--finetune-epochs, --finetune-batch, --accumulate, --finetune-patience, --lora-rank and --attention-heads must be at least 1");
    }
    if (!(warmup >= 0 && warmup <= 1)
        || !(loraDropout >= 0 && loraDropout < 1)
        || !(clip >= 0)
        || !(encoderRate >= 0)
        || !(headLr >= 0)) {
      throw new IllegalArgumentException(
          "--warmup must be in [0, 1], --lora-dropout in [0, 1), --clip and learning rates at least 0");
    }
    return new FineTuneConfig(
        mode(),
        loraRank,
        loraAlpha,
        loraDropout,
        encoderRate,
        headLr,
        head.weightDecay(),
        epochs,
        batch,
        accumulate,
        warmup,
        clip,
        patience,
        probeHead != null ? probeHead : probeByDefault,
        head.loss(),
        validationFraction,
        seed);
  }
}
