package org.ser4j.model;

import java.io.IOException;
import java.util.List;
import org.ser4j.data.Prompt;
import org.ser4j.encoder.ResponseInput;

/**
 * Rewards for (prompt, response) inputs from a loaded model directory, whatever its kind: a frozen
 * encoder with a trained head or a fine-tuned encoder ({@link TrainedModel#open}). What `ser eval`,
 * `ser score`, `ser best-of-n` and `ser serve` use.
 */
public interface RewardScorer extends AutoCloseable {
  /** Raw rewards, in order. Safe to call from several threads (calls may be serialized). */
  double[] rewards(List<ResponseInput> inputs) throws IOException;

  /** The model this scorer runs. */
  TrainedModel model();

  /** The scale applied to what callers receive ({@link RewardScale}). */
  default RewardScale scale() {
    return model().scale();
  }

  /** A short description for logs and /health: encoder and kind. */
  default String describe() {
    return model().describe();
  }

  /** The reward of one answer to a single-turn prompt, scaled as callers receive it. */
  default double reward(String prompt, String response) throws IOException {
    return scaled(rewards(List.of(new ResponseInput(Prompt.of(prompt), response)))[0]);
  }

  /** What a caller receives for raw reward {@code raw}. */
  default double scaled(double raw) {
    return scale().apply(raw);
  }

  @Override
  void close();
}
