package org.ser4j.model;

import java.io.IOException;
import java.util.List;
import org.ser4j.encoder.ResponseInput;

/**
 * Rewards for (prompt, response) inputs from a loaded model directory, whatever its kind: a frozen
 * encoder with a trained head ({@link FeatureScorer}) or a fine-tuned encoder ({@link
 * FineTunedScorer}). What `ser eval`, `ser score`, `ser best-of-n` and `ser serve` use.
 */
public interface RewardScorer extends AutoCloseable {
  /** Raw rewards, in order. Safe to call from several threads (calls may be serialized). */
  double[] rewards(List<ResponseInput> inputs) throws IOException;

  /** The scale applied to what callers receive ({@link RewardScale}). */
  RewardScale scale();

  /** A short description for logs and /health: encoder and kind. */
  String describe();

  /** What a caller receives for raw reward {@code raw}. */
  default double scaled(double raw) {
    return scale().apply(raw);
  }

  @Override
  void close();
}
