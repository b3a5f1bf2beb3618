package org.ser4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.encoder.Featurizer;
import org.ser4j.util.Progress;
import picocli.CommandLine.Option;

/** Where features are cached and how the machine is used: shared by every command that encodes. */
public final class RuntimeOptions {
  @Option(
      names = "--cache",
      paramLabel = "DIR",
      defaultValue = "${env:SER4J_CACHE:-${sys:user.home}/.cache/ser4j/features}",
      description =
          "Feature cache directory, shared by commands and processes (default: ${DEFAULT-VALUE}; env SER4J_CACHE).")
  Path cache;

  @Option(
      names = "--no-cache",
      description = "Keep features in memory only (default: ${DEFAULT-VALUE}).")
  boolean noCache;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Encoder runs in parallel, one core each; 0 means every core (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--encode-batch",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Texts per encoder run. 1 keeps every vector independent of its batch-mates (int8 models quantize per batch) (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--quiet", description = "No progress bars (default: ${DEFAULT-VALUE}).")
  boolean quiet;

  Progress progress() {
    return quiet ? Progress.quiet() : Progress.console();
  }

  /** The cache root, or null with --no-cache. */
  Path cacheRoot() {
    return noCache ? null : cache;
  }

  int threadCount() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }

  Featurizer open(EncoderConfig config) throws IOException {
    return toRuntime().open(config);
  }

  EncoderRuntime toRuntime() {
    return toRuntime(progress());
  }

  /** These options as the runtime that models and learners take, reporting to {@code p}. */
  EncoderRuntime toRuntime(Progress p) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("--encode-batch must be at least 1, got " + batchSize);
    }
    return new EncoderRuntime(cacheRoot(), threadCount(), batchSize, p);
  }
}
