package org.ser4j.model;

import java.io.IOException;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.Featurizer;
import org.ser4j.util.Progress;

/**
 * What a model needs from its caller to score: an encoder runtime (cache, threads) and where
 * progress goes.
 */
public interface ScorerRuntime {
  Featurizer featurizer(EncoderConfig config) throws IOException;

  Progress progress();

  /** Encoders with an in-memory cache only, on every core, quiet: for library users and tests. */
  static ScorerRuntime inMemory() {
    return new ScorerRuntime() {
      @Override
      public Featurizer featurizer(EncoderConfig config) throws IOException {
        return Featurizer.open(
            config,
            null,
            Progress.quiet(),
            Runtime.getRuntime().availableProcessors(),
            Featurizer.DEFAULT_BATCH);
      }

      @Override
      public Progress progress() {
        return Progress.quiet();
      }
    };
  }
}
