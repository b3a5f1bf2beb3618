package org.ser4j.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderSpec;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.InputStrategy;
import org.ser4j.util.Progress;

/**
 * Real encoders for tests, sharing one on-disk feature cache per build so each text is encoded
 * once.
 */
public final class TestEncoders {
  private TestEncoders() {}

  public static final Path CACHE = Path.of("target", "test-feature-cache");

  public static EncoderConfig config(String name, InputStrategy strategy, int maxLength) {
    EncoderSpec spec = EncoderSpec.builtIn(name);
    return new EncoderConfig(
        spec.name(), spec.model(), spec.tokenizer(), spec.pooling(), maxLength, strategy, null);
  }

  /** The default encoder, as `ser train` uses it. */
  public static EncoderConfig defaults() {
    return config(EncoderSpec.DEFAULT, InputStrategy.PAIR_AND_RESPONSE, 256);
  }

  public static Featurizer open(EncoderConfig config, Path cache) throws IOException {
    return Featurizer.open(
        config,
        cache,
        Progress.console(),
        Runtime.getRuntime().availableProcessors(),
        Featurizer.DEFAULT_BATCH);
  }
}
