package org.ser4j.spark;

import java.util.ArrayList;
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
   * Self-labeled pool pairs by where they were read ({@link PoolRow#order}) and whether each one's
   * first answer won, as bits: what a fit broadcasts is an eighth of a byte a pool pair, however
   * many are picked.
   */
  record Picks(java.util.BitSet ids, java.util.BitSet firstPreferred, int count)
      implements java.io.Serializable {
    static Picks of(long[] ids, boolean[] firstPreferred) {
      Builder b = new Builder();
      for (int i = 0; i < ids.length; i++) {
        b.add(ids[i], firstPreferred[i]);
      }
      return b.build();
    }

    boolean has(long order) {
      return ids.get(Math.toIntExact(order));
    }

    /** Picks added one by one, each pool pair at most once. */
    static final class Builder {
      private final java.util.BitSet ids = new java.util.BitSet();
      private final java.util.BitSet first = new java.util.BitSet();
      private int count;

      void add(long order, boolean firstPreferred) {
        int at = Math.toIntExact(order);
        if (ids.get(at)) {
          throw new IllegalStateException("a pool pair self-labeled twice in one training set");
        }
        ids.set(at);
        first.set(at, firstPreferred);
        count++;
      }

      Picks build() {
        return new Picks(ids, first, count);
      }
    }
  }

  /**
   * The pairs {@code seed} (weight 1) and the pool pairs {@code picks} names (weight {@code
   * selfWeight}), vectors {@code dimension} wide, persisted on the executors (memory, then disk)
   * until {@link #close}.
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
        pool.filter(r -> p.value().has(r.order()))
            .map(
                r -> {
                  boolean first = p.value().firstPreferred().get(Math.toIntExact(r.order()));
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
            // Memory, then disk: a part that does not fit in memory is read back from disk each
            // pass, where memory alone computed it again from the pool (at 2M pairs, 6 of 16
            // parts each pass, 30 s a pass).
            .persist(StorageLevel.MEMORY_AND_DISK());
    size = rows.count();
    if (size != seed.size() + picked.count()) {
      close();
      throw new IllegalStateException(
          (seed.size() + picked.count() - size)
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
