package org.ser4j.model.finetune;

import java.util.Locale;

/**
 * Which part of the reward model learns: {@code none} (frozen encoder, trained head: the
 * feature-based {@link RewardTrainer}), {@code top:K} (the top K transformer layers and the head;
 * the layers below run once per text and are cached), {@code full} (every transformer layer and the
 * head) or {@code lora} (LoRA adapters on the attention projections and the head).
 */
public record FineTuneMode(Kind kind, int topLayers) {
  public enum Kind {
    NONE,
    TOP,
    FULL,
    LORA
  }

  public static final FineTuneMode NONE = new FineTuneMode(Kind.NONE, 0);

  public static FineTuneMode parse(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    switch (s) {
      case "none":
        return NONE;
      case "full":
        return new FineTuneMode(Kind.FULL, 0);
      case "lora":
        return new FineTuneMode(Kind.LORA, 0);
      default:
        if (s.startsWith("top:")) {
          try {
            int k = Integer.parseInt(s.substring(4));
            if (k >= 1) {
              return new FineTuneMode(Kind.TOP, k);
            }
          } catch (NumberFormatException e) {
            // falls through to the error below
          }
        }
        throw new IllegalArgumentException(
            "unknown fine-tuning mode '" + text + "'; expected none, top:K (K >= 1), full or lora");
    }
  }

  public boolean learnsEncoder() {
    return kind != Kind.NONE;
  }

  /** The first layer that learns: below it, layer outputs are fixed and can be cached. */
  public int firstTrainedLayer(int layers) {
    switch (kind) {
      case TOP:
        return Math.max(0, layers - topLayers);
      case FULL:
      case LORA:
        return 0;
      default:
        return layers;
    }
  }

  public String cliName() {
    return kind == Kind.TOP ? "top:" + topLayers : kind.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return cliName();
  }
}
