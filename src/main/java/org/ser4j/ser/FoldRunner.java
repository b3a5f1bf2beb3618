package org.ser4j.ser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs the decision folds' work, one task per fold: in order on this thread, or on as many threads
 * as there are cores when the learner's fits may run at once. Each fold touches only its own state
 * and its results are kept by fold, so the outcome is the same either way, bit for bit.
 */
final class FoldRunner {
  /** One fold's work. */
  interface FoldWork {
    void run(int fold) throws IOException;
  }

  private FoldRunner() {}

  static void forEach(int folds, boolean concurrent, FoldWork work) throws IOException {
    int threads = Math.min(folds, Runtime.getRuntime().availableProcessors());
    if (!concurrent || threads < 2) {
      for (int f = 0; f < folds; f++) {
        work.run(f);
      }
      return;
    }
    ExecutorService pool = org.ser4j.util.DaemonThreads.pool(threads, "ser4j-fold");
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int f = 0; f < folds; f++) {
        int fold = f;
        jobs.add(
            pool.submit(
                () -> {
                  work.run(fold);
                  return null;
                }));
      }
      for (Future<?> j : jobs) {
        j.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fitting the decision folds", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException(cause);
    } finally {
      pool.shutdownNow();
    }
  }
}
