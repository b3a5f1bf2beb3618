package org.ser4j.model;

import java.io.IOException;
import java.nio.file.Path;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;

/**
 * A trained reward model of any family, immutable: what a training run returns, what a model
 * directory holds, and what opens as a {@link RewardScorer}. The families ({@code model.head}:
 * frozen encoder + head; {@code model.finetune}: an encoder that learned) implement it and register
 * a {@link ModelFormat}, so callers never ask which family they hold.
 */
public interface TrainedModel {
  /** The encoder the model reads texts with (the pretrained weights, by fingerprint). */
  EncoderConfig encoder();

  Provenance provenance();

  /** The scale applied to what callers receive. */
  RewardScale scale();

  TrainedModel withScale(RewardScale scale);

  /** The same weights stamped with {@code provenance} (a run stamps each loop's model). */
  TrainedModel withProvenance(Provenance provenance);

  /** Writes the model directory: weights first, then {@code config.json}, each atomically. */
  void save(Path dir) throws IOException;

  /** A live scorer; frozen-encoder models take their featurizer from {@code runtime}. */
  RewardScorer open(EncoderRuntime runtime) throws IOException;

  /** A short description for logs and /health: encoder and family. */
  String describe();
}
