package org.ser4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Numbers a pool's pairs 0 to n - 1 in read order (file, record, pair), the keys one process gives
 * its pool, where the pool is persisted: only each pair's read position and partition are sorted
 * (16 bytes a pair), never its texts or vectors. With these keys the driver keeps no map from
 * executor positions to keys, and a pair has the same key in either engine (selected.jsonl's
 * pool_key, the fold runs' seeded samples of self-labels).
 */
final class ReadOrderKeys {
  private ReadOrderKeys() {}

  /**
   * {@code rows} (persisted) with each {@link PoolRow#order} replaced by its rank in read order,
   * persisted in the same partitions; {@code rows} is let go.
   */
  static JavaRDD<PoolRow> number(JavaRDD<PoolRow> rows) {
    int parts = rows.getNumPartitions();
    JavaPairRDD<Integer, long[]> ranks =
        rows.mapPartitionsWithIndex(
                (Integer part, Iterator<PoolRow> it) -> {
                  List<Tuple2<Long, Integer>> out = new ArrayList<>();
                  it.forEachRemaining(r -> out.add(new Tuple2<>(r.order(), part)));
                  return out.iterator();
                },
                true)
            .mapToPair(t -> t)
            .sortByKey(true, parts)
            .zipWithIndex()
            .mapToPair(t -> new Tuple2<>(t._1()._2(), new long[] {t._1()._1(), t._2()}))
            .partitionBy(new HashPartitioner(parts)); // partition p: the ranks of p's pairs
    JavaRDD<PoolRow> keyed =
        rows.zipPartitions(ranks.values(), ReadOrderKeys::keyed)
            .persist(StorageLevel.MEMORY_AND_DISK())
            .setName("ser4j pool");
    keyed.count();
    rows.unpersist(false);
    return keyed;
  }

  /** A partition's pairs, each with its rank from {@code ranks} ({read position, rank} pairs). */
  private static Iterator<PoolRow> keyed(Iterator<PoolRow> pairs, Iterator<long[]> ranks) {
    List<long[]> all = new ArrayList<>();
    ranks.forEachRemaining(all::add);
    all.sort((a, b) -> Long.compare(a[0], b[0]));
    long[] at = new long[all.size()];
    long[] rank = new long[all.size()];
    for (int i = 0; i < at.length; i++) {
      at[i] = all.get(i)[0];
      rank[i] = all.get(i)[1];
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return pairs.hasNext();
      }

      @Override
      public PoolRow next() {
        PoolRow r = pairs.next();
        int i = Arrays.binarySearch(at, r.order());
        if (i < 0) {
          throw new IllegalStateException("no key for the pool pair read at " + r.order());
        }
        return r.withOrder(rank[i]);
      }
    };
  }
}
