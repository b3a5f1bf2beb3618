package org.ser4j.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.RewardScorer;

/**
 * Dynamic batching: requests from many clients queue here; one worker takes the first, waits at
 * most {@code maxWaitMillis} for more (up to {@code maxBatchTexts} texts), and scores them all in
 * one {@link RewardScorer} call (for a frozen encoder: one featurizer pass that dedupes texts, hits
 * the cache and keeps every core busy). Results go back to each request in its own order.
 */
public final class BatchingScorer implements AutoCloseable {
  private record Job(List<ResponseInput> inputs, CompletableFuture<double[]> result) {}

  private final RewardScorer scorer;
  private final int maxBatchTexts;
  private final long maxWaitMillis;
  private final ServerMetrics metrics;
  private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
  private final Thread worker;
  private volatile boolean running = true;

  public BatchingScorer(
      RewardScorer scorer, int maxBatchTexts, long maxWaitMillis, ServerMetrics metrics) {
    this.scorer = scorer;
    this.maxBatchTexts = maxBatchTexts;
    this.maxWaitMillis = maxWaitMillis;
    this.metrics = metrics;
    this.worker = new Thread(this::loop, "ser4j-batcher");
    worker.setDaemon(true);
    worker.start();
  }

  /** Raw rewards of {@code inputs}, in order. */
  public CompletableFuture<double[]> submit(List<ResponseInput> inputs) {
    CompletableFuture<double[]> result = new CompletableFuture<>();
    if (inputs.isEmpty()) {
      result.complete(new double[0]);
    } else if (!running) {
      result.completeExceptionally(new IllegalStateException("shutting down"));
    } else {
      queue.add(new Job(inputs, result));
    }
    return result;
  }

  private void loop() {
    while (running || !queue.isEmpty()) {
      List<Job> batch = new ArrayList<>();
      try {
        Job first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        int texts = first.inputs().size();
        long deadline = System.nanoTime() + maxWaitMillis * 1_000_000;
        while (texts < maxBatchTexts) {
          long left = deadline - System.nanoTime();
          Job next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
          if (next == null) {
            break;
          }
          batch.add(next);
          texts += next.inputs().size();
        }
        score(batch, texts);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        batch.forEach(j -> j.result().completeExceptionally(e));
        return;
      }
    }
  }

  private void score(List<Job> batch, int texts) {
    try {
      List<ResponseInput> all = new ArrayList<>(texts);
      batch.forEach(j -> all.addAll(j.inputs()));
      metrics.batchTexts.observe(all.size());
      double[] rewards = scorer.rewards(all);
      metrics.texts.inc(all.size());
      int at = 0;
      for (Job j : batch) {
        double[] mine = java.util.Arrays.copyOfRange(rewards, at, at + j.inputs().size());
        at += j.inputs().size();
        j.result().complete(mine);
      }
    } catch (Exception | Error e) {
      batch.forEach(j -> j.result().completeExceptionally(e));
    }
  }

  /** Stops taking work; what is queued is still scored. */
  @Override
  public void close() {
    running = false;
    try {
      worker.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
