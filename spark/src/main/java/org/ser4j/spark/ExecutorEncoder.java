package org.ser4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.encoder.Featurizer;
import org.ser4j.util.Progress;

/**
 * Encodes a partition's texts on an executor with the same {@link Featurizer} as `ser evolve`, so
 * the vectors are the in-process ones bit for bit. The model comes from the application's jar (no
 * download); one featurizer (one ONNX Runtime session, thread-safe) per executor JVM, shared by its
 * task threads and kept for the JVM's life; its memory cache is emptied whenever no task is
 * encoding, since each text is encoded once.
 */
final class ExecutorEncoder {
  /**
   * Benchmarks only (spark/bench-pool): a feature cache directory the executors read and keep, so
   * that a benchmark's pool is encoded once across its runs. Not an option of any command: an
   * executor's cache is loaded whole into its memory, which suits a benchmark's reused texts and
   * not a real pool.
   */
  static final String BENCH_CACHE = "ser4j.bench.executorCache";

  private static final String CACHE = System.getProperty(BENCH_CACHE);

  /**
   * Benchmarks only (spark/bench-pool, WIDTH=K): a stand-in encoder, each vector cut to its first K
   * coordinates, so that a pool of 10M pairs fits one machine's memory and disk (at 384 floats an
   * answer it does not). Every vector of a run on Spark (seed, test and pool) comes from here, so
   * the run is consistently K wide; a model it saves is not one `ser score` can load. Not an option
   * of any command.
   */
  static final String BENCH_WIDTH = "ser4j.bench.width";

  private static final int WIDTH = Integer.getInteger(BENCH_WIDTH, 0);

  private static Featurizer open;
  private static int active;

  private ExecutorEncoder() {}

  static Iterator<TextVector> encode(EncoderConfig config, Iterator<TextRow> partition) {
    List<TextRow> rows = new ArrayList<>();
    partition.forEachRemaining(rows::add);
    Featurizer featurizer = acquire(config);
    try {
      float[][] v = featurizer.features(rows.stream().map(TextRow::input).toList());
      List<TextVector> out = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        out.add(
            new TextVector(
                rows.get(i).id(), WIDTH > 0 ? java.util.Arrays.copyOf(v[i], WIDTH) : v[i]));
      }
      return out.iterator();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      release();
    }
  }

  private static synchronized Featurizer acquire(EncoderConfig config) {
    if (open == null || !open.config().equals(config)) {
      if (open != null && active > 0) {
        throw new IllegalStateException("two encoders at once on one executor");
      }
      if (open != null) {
        open.close();
      }
      try {
        open =
            new EncoderRuntime(
                    CACHE == null ? null : java.nio.file.Path.of(CACHE),
                    1,
                    Featurizer.DEFAULT_BATCH,
                    Progress.quiet())
                .open(config);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    active++;
    return open;
  }

  private static synchronized void release() {
    if (--active == 0 && CACHE == null) {
      open.cache().forget();
    }
  }
}
