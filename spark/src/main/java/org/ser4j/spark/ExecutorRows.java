package org.ser4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.ser4j.model.head.BradleyTerrySums;
import org.ser4j.model.head.FeatureNormalizer;
import org.ser4j.model.head.FullBatchTrainer;
import org.ser4j.model.head.PairFeatures;

/**
 * A fit's training pairs on the executors: the seed pairs, sent once a fit, and the self-labeled
 * pool pairs, found by where they were read ({@link PoolRow#order}) where the pool is persisted
 * (their vectors are not copied: a row points at the pool row's). Each pass of the full-batch
 * objective is summed by {@code treeAggregate}; only the sums (one vector of the encoder's width)
 * come back to the driver.
 */
final class ExecutorRows implements FullBatchTrainer.Rows {
  /** One training pair: its answers' vectors, chosen first, and its weight in the loss. */
  record FitRow(float[] chosen, float[] rejected, double weight) implements java.io.Serializable {}

  private final JavaRDD<FitRow> rows;
  private final Broadcast<Picks> picks;
  private final long size;
  private final int dimension;

  /**
   * Self-labeled pool pairs by where they were read ({@link PoolRow#order}, sorted), whether each
   * one's first answer won.
   */
  record Picks(long[] ids, boolean[] firstPreferred) implements java.io.Serializable {
    static Picks of(long[] ids, boolean[] firstPreferred) {
      Integer[] order = new Integer[ids.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
      long[] sortedIds = new long[ids.length];
      boolean[] sortedFirst = new boolean[ids.length];
      for (int i = 0; i < order.length; i++) {
        sortedIds[i] = ids[order[i]];
        sortedFirst[i] = firstPreferred[order[i]];
        if (i > 0 && sortedIds[i] == sortedIds[i - 1]) {
          throw new IllegalStateException("a pool pair self-labeled twice in one training set");
        }
      }
      return new Picks(sortedIds, sortedFirst);
    }
  }

  /**
   * The pairs {@code seed} (weight 1) and the pool pairs {@code picks} names (weight {@code
   * selfWeight}), vectors {@code dimension} wide, cached on the executors until {@link #close}.
   */
  ExecutorRows(
      JavaSparkContext context,
      JavaRDD<PoolRow> pool,
      PairFeatures seed,
      Picks picked,
      double selfWeight,
      int dimension,
      int partitions) {
    this.dimension = dimension;
    this.picks = context.broadcast(picked);
    Broadcast<Picks> p = picks;
    JavaRDD<FitRow> self =
        pool.filter(r -> Arrays.binarySearch(p.value().ids(), r.order()) >= 0)
            .map(
                r -> {
                  boolean first =
                      p.value().firstPreferred()[Arrays.binarySearch(p.value().ids(), r.order())];
                  return first
                      ? new FitRow(r.firstVector(), r.secondVector(), selfWeight)
                      : new FitRow(r.secondVector(), r.firstVector(), selfWeight);
                });
    List<FitRow> seedRows = new ArrayList<>(seed.size());
    for (int i = 0; i < seed.size(); i++) {
      seedRows.add(new FitRow(seed.chosen()[i], seed.rejected()[i], 1.0));
    }
    rows =
        context
            .parallelize(seedRows, Math.max(1, Math.min(partitions, seedRows.size())))
            .union(self)
            .persist(StorageLevel.MEMORY_ONLY());
    size = rows.count();
    if (size != seed.size() + picked.ids().length) {
      close();
      throw new IllegalStateException(
          (seed.size() + picked.ids().length - size)
              + " self-labeled pairs were not found in the pool on the executors");
    }
  }

  @Override
  public FeatureNormalizer.Sums featureSums() {
    return rows.treeAggregate(
        new FeatureNormalizer.Sums(dimension),
        (s, r) -> s.add(r.chosen()).add(r.rejected()),
        FeatureNormalizer.Sums::merge);
  }

  @Override
  public BradleyTerrySums objective(double[] theta, float[] std) {
    return rows.treeAggregate(
        new BradleyTerrySums(theta.length),
        (s, r) -> s.add(r.chosen(), r.rejected(), r.weight(), theta, std),
        BradleyTerrySums::merge);
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void close() {
    rows.unpersist(false);
    picks.destroy();
  }
}
