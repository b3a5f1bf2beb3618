package org.ser4j.spark;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import org.apache.spark.api.java.JavaRDDLike;

/**
 * An RDD's elements on the driver in order, a partition at a time, like {@code toLocalIterator},
 * but with the next {@value #AHEAD} partitions fetched (a job each) while one is read. Spark's
 * iterator runs its jobs one after another, a task on one core each; a loop's scored pairs come in
 * one such job a range of keys, and at 2M pairs 160 of them took 76 s of a 270 s loop on two cores,
 * one of them idle. At most {@value #AHEAD} + 1 partitions are on the driver at once.
 */
final class PartsInOrder<T> implements Iterator<T>, AutoCloseable {
  static final int AHEAD = 2;

  private final JavaRDDLike<T, ?> rdd;
  private final int parts;
  private final ExecutorService jobs;
  private final Deque<CompletableFuture<List<T>>> fetching = new ArrayDeque<>();
  private int submitted;
  private Iterator<T> current = Collections.emptyIterator();

  private PartsInOrder(JavaRDDLike<T, ?> rdd) {
    this.rdd = rdd;
    this.parts = rdd.getNumPartitions();
    this.jobs = org.ser4j.util.DaemonThreads.pool(AHEAD, "ser4j-parts-in-order");
    fill();
  }

  /** {@code rdd}'s elements in partition order; close it to stop what is still being fetched. */
  static <T> PartsInOrder<T> of(JavaRDDLike<T, ?> rdd) {
    return new PartsInOrder<>(rdd);
  }

  private void fill() {
    while (fetching.size() < AHEAD && submitted < parts) {
      int part = submitted++;
      fetching.add(
          CompletableFuture.supplyAsync(() -> rdd.collectPartitions(new int[] {part})[0], jobs));
    }
  }

  @Override
  public boolean hasNext() {
    while (!current.hasNext()) {
      if (fetching.isEmpty()) {
        return false;
      }
      current = take().iterator();
    }
    return true;
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return current.next();
  }

  private List<T> take() {
    CompletableFuture<List<T>> first = fetching.poll();
    fill();
    try {
      return first.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fetching a partition", e);
    } catch (ExecutionException e) { // a failed job: its own exception, as toLocalIterator's
      throw PartsInOrder.<RuntimeException>rethrow(e.getCause());
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E rethrow(Throwable t) throws E {
    throw (E) t;
  }

  /**
   * Waits for the partitions still being fetched (at most {@value #AHEAD}, their elements let go):
   * a job left running could outlive what it reads, such as a broadcast the caller destroys next.
   */
  @Override
  public void close() {
    for (CompletableFuture<List<T>> f : fetching) {
      try {
        f.join();
      } catch (RuntimeException ignored) { // the caller is done with it, or is failing already
      }
    }
    fetching.clear();
    jobs.shutdown();
  }
}
