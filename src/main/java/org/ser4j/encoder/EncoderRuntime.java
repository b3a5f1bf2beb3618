package org.ser4j.encoder;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.io.IOException;
import java.nio.file.Path;
import org.ser4j.util.Progress;

/**
 * How encoders run on this machine: where features (and a learning encoder's frozen lower layers)
 * are cached on disk (null: memory only), how many encoder runs go in parallel, texts per run, and
 * where progress goes. The CLI's runtime options and the library API both describe one.
 */
@RecordBuilder
public record EncoderRuntime(Path cacheRoot, int threads, int batchSize, Progress progress)
    implements EncoderRuntimeBuilder.With {
  public EncoderRuntime {
    if (threads < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "threads and batch size must be at least 1, got " + threads + " and " + batchSize);
    }
  }

  /** Every core, one text per run, quiet, cached under {@code cacheRoot} (null: memory only). */
  public static EncoderRuntime defaults(Path cacheRoot) {
    return new EncoderRuntime(
        cacheRoot,
        Runtime.getRuntime().availableProcessors(),
        Featurizer.DEFAULT_BATCH,
        Progress.quiet());
  }

  /** A featurizer for {@code config} under these settings. */
  public Featurizer open(EncoderConfig config) throws IOException {
    return Featurizer.open(config, cacheRoot, progress, threads, batchSize);
  }
}
