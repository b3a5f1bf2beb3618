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
    ResponseInput input = new ResponseInput(Prompt.of(prompt), response);
    return scaled(rewards(List.of(input))[0], input);
  }

  /** What a caller receives for {@code input} with raw reward {@code raw}. */
  default double scaled(double raw, ResponseInput input) {
    return scale().apply(raw, input.response().length());
  }

  /**
   * The raw reward with the model's length correction, if any ({@link RewardScale#corrected}): what
   * ranks answers and pairs.
   */
  default double corrected(double raw, ResponseInput input) {
    return scale().corrected(raw, input.response().length());
  }

  /** {@link #rewards} with the length correction applied to each. */
  default double[] correctedRewards(List<ResponseInput> inputs) throws IOException {
    double[] r = rewards(inputs);
    for (int i = 0; i < r.length; i++) {
      r[i] = corrected(r[i], inputs.get(i));
    }
    return r;
  }

  @Override
  void close();
}
