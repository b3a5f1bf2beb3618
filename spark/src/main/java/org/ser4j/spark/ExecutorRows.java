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
 * pool pairs, found by where they were read ({@link PoolRow#order}) where the pool is persisted.
 * They are persisted a block of {@link #PAIRS_PER_BLOCK} at a time, as flat arrays ({@link Block}),
 * and once the fit's std is known, as each pair's standardized difference z ({@link Standardized}):
 * a pass of the full-batch objective is then two dot products a pair, with no division and no
 * object a pair, where it was a division a coordinate and two objects a pair (each pair's terms are
 * the same to the last bit), over as many parts as the cluster has cores. Each pass is summed by
 * {@code treeAggregate}; only the sums (one vector of the encoder's width) come back to the driver.
 */
final class ExecutorRows implements FullBatchTrainer.Rows {
  /** One training pair: its answers' vectors, chosen first, and its weight in the loss. */
  record FitRow(float[] chosen, float[] rejected, double weight) implements java.io.Serializable {}

  // Pairs a block: at 384 wide, 3 MB of vectors and then 3 MB of z, each one array.
  static final int PAIRS_PER_BLOCK = 1024;

  /** Training pairs in a run: chosen and rejected vectors, row-major, and each pair's weight. */
  record Block(float[] chosen, float[] rejected, double[] weights)
      implements java.io.Serializable {}

  /** The same pairs as z, (chosen - rejected) / std, row-major ({@link BradleyTerrySums}). */
  record Standardized(double[] z, double[] weights) implements java.io.Serializable {}

  private final JavaRDD<Block> blocks;
  private JavaRDD<Standardized> standardized; // for standardizedFor, built by the first pass
  private float[] standardizedFor;
  private final Broadcast<Picks> picks;
  private final long size;
  private final int dimension;

  /**
   * Self-labeled pool pairs by where they were read ({@link PoolRow#order}) and whether each one's
   * first answer won, as bits: what a fit broadcasts is an eighth of a byte a pool pair, however
   * many are picked; and the built (West-of-N) picks, a long each ({@link #built}: the chosen
   * answer's pair and side, then the rejected one's), with their pairs as bits ({@code sources}).
   */
  record Picks(
      java.util.BitSet ids,
      java.util.BitSet firstPreferred,
      int count,
      long[] built,
      java.util.BitSet sources)
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

    /** A built pick: the chosen answer's pair and side, then the rejected answer's. */
    static long built(
        int chosenKey, boolean chosenIsFirst, int rejectedKey, boolean rejectedIsFirst) {
      return ((long) chosenKey << 33)
          | (chosenIsFirst ? 1L << 32 : 0)
          | ((long) rejectedKey << 1)
          | (rejectedIsFirst ? 1 : 0);
    }

    /**
     * A part's built picks both of whose pairs are in {@code here} (by read order), as training
     * pairs of weight {@code weight}.
     */
    List<FitRow> builtRows(java.util.Map<Long, PoolRow> here, double weight) {
      List<FitRow> out = new ArrayList<>();
      for (long b : built) {
        PoolRow c = here.get(b >>> 33);
        PoolRow r = here.get((b & 0xFFFF_FFFFL) >>> 1);
        if (c != null && r != null) {
          out.add(
              new FitRow(
                  (b & (1L << 32)) != 0 ? c.firstVector() : c.secondVector(),
                  (b & 1) != 0 ? r.firstVector() : r.secondVector(),
                  weight));
        }
      }
      return out;
    }

    /** Picks added one by one, each pool pair at most once. */
    static final class Builder {
      private final java.util.BitSet ids = new java.util.BitSet();
      private final java.util.BitSet first = new java.util.BitSet();
      private final java.util.BitSet sources = new java.util.BitSet();
      private final List<Long> built = new ArrayList<>();
      private int count;

      /**
       * A built pick: the chosen answer is pair {@code chosenKey}'s, the rejected one another's.
       */
      void addBuilt(
          int chosenKey, boolean chosenIsFirst, int rejectedKey, boolean rejectedIsFirst) {
        built.add(Picks.built(chosenKey, chosenIsFirst, rejectedKey, rejectedIsFirst));
        sources.set(chosenKey);
        sources.set(rejectedKey);
      }

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
        return new Picks(
            ids, first, count, built.stream().mapToLong(Long::longValue).toArray(), sources);
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
    if (picked.built().length > 0) {
      // A built pick's two pairs share its prompt, and with West-of-N the pool is placed by prompt:
      // one part of it holds both (the count below checks that every pick was found).
      self =
          self.union(
              pool.filter(r -> p.value().sources().get(Math.toIntExact(r.order())))
                  .mapPartitions(
                      it -> {
                        java.util.Map<Long, PoolRow> here = new java.util.HashMap<>();
                        it.forEachRemaining(r -> here.put(r.order(), r));
                        return p.value().builtRows(here, selfWeight).iterator();
                      }));
    }
    List<FitRow> seedRows = new ArrayList<>(seed.size());
    for (int i = 0; i < seed.size(); i++) {
      seedRows.add(new FitRow(seed.chosen()[i], seed.rejected()[i], 1.0));
    }
    int d = dimension;
    blocks =
        context
            .parallelize(seedRows, Math.max(1, Math.min(partitions, seedRows.size())))
            .union(self)
            .mapPartitions(it -> blocksOf(it, d))
            // Memory, then disk: a part that does not fit in memory is read back from disk, where
            // memory alone computed it again from the pool (at 2M pairs, 6 of 16 parts a pass).
            .persist(StorageLevel.MEMORY_AND_DISK());
    size = blocks.map(b -> (long) b.weights().length).fold(0L, Long::sum);
    long wanted = seed.size() + picked.count() + picked.built().length;
    if (size != wanted) {
      close();
      throw new IllegalStateException(
          (wanted - size) + " self-labeled pairs were not found in the pool on the executors");
    }
  }

  /** {@code rows} as blocks of at most {@link #PAIRS_PER_BLOCK}, in order. */
  private static java.util.Iterator<Block> blocksOf(java.util.Iterator<FitRow> rows, int d) {
    return new java.util.Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Block next() {
        List<FitRow> run = new ArrayList<>(PAIRS_PER_BLOCK);
        while (run.size() < PAIRS_PER_BLOCK && rows.hasNext()) {
          run.add(rows.next());
        }
        float[] chosen = new float[run.size() * d];
        float[] rejected = new float[run.size() * d];
        double[] weights = new double[run.size()];
        for (int i = 0; i < run.size(); i++) {
          System.arraycopy(run.get(i).chosen(), 0, chosen, i * d, d);
          System.arraycopy(run.get(i).rejected(), 0, rejected, i * d, d);
          weights[i] = run.get(i).weight();
        }
        return new Block(chosen, rejected, weights);
      }
    };
  }

  @Override
  public FeatureNormalizer.Sums featureSums() {
    int d = dimension;
    return blocks.treeAggregate(
        new FeatureNormalizer.Sums(d),
        (s, b) -> {
          for (int i = 0; i < b.weights().length; i++) {
            s.add(b.chosen(), i * d).add(b.rejected(), i * d);
          }
          return s;
        },
        FeatureNormalizer.Sums::merge);
  }

  @Override
  public BradleyTerrySums objective(double[] theta, float[] std) {
    int d = dimension;
    return standardized(std)
        .treeAggregate(
            new BradleyTerrySums(theta.length),
            (s, b) -> {
              for (int i = 0; i < b.weights().length; i++) {
                s.addStandardized(b.z(), i * d, b.weights()[i], theta);
              }
              return s;
            },
            BradleyTerrySums::merge);
  }

  /**
   * The pairs' z under {@code std}, persisted: a fit's std is fixed, so they are computed by its
   * first pass and read by every other, and the blocks of vectors are let go. A fit under another
   * std would compute them again from the pool.
   */
  private JavaRDD<Standardized> standardized(float[] std) {
    if (standardized != null && java.util.Arrays.equals(std, standardizedFor)) {
      return standardized;
    }
    if (standardized != null) {
      standardized.unpersist(false);
    }
    int d = dimension;
    float[] s = std.clone();
    // As many parts as the cluster has cores: a pass is then a task a core, where a part of the
    // pool each was dozens of small tasks, and the pass's time mostly their overhead (1 s at 2M).
    standardized =
        blocks
            .coalesce(Math.max(1, blocks.context().defaultParallelism()))
            .map(
                b -> {
                  int n = b.weights().length;
                  double[] z = new double[n * d];
                  float[] c = new float[d];
                  float[] r = new float[d];
                  for (int i = 0; i < n; i++) {
                    System.arraycopy(b.chosen(), i * d, c, 0, d);
                    System.arraycopy(b.rejected(), i * d, r, 0, d);
                    BradleyTerrySums.standardize(c, r, s, z, i * d);
                  }
                  return new Standardized(z, b.weights());
                })
            .persist(StorageLevel.MEMORY_AND_DISK());
    standardized.count();
    blocks.unpersist(false);
    standardizedFor = s;
    return standardized;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void close() {
    blocks.unpersist(false);
    if (standardized != null) {
      standardized.unpersist(false);
    }
    picks.destroy();
  }
}
