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
 * (16 bytes a pair), never its texts or vectors, and the pool is not persisted a second time (at 5M
 * pairs a second copy, spilled, filled the disk): each partition keeps a table of its pairs' keys,
 * persisted beside it, and every job reads the pairs through it. With these keys the driver keeps
 * no map from executor positions to keys, and a pair has the same key in either engine
 * (selected.jsonl's pool_key, the fold runs' seeded samples of self-labels).
 */
final class ReadOrderKeys {
  private final JavaRDD<PoolRow> rows;
  private final JavaRDD<Table> tables;

  /** A partition's pairs' read positions, sorted, and their keys. */
  record Table(long[] at, long[] key) implements java.io.Serializable {
    static Table of(Iterator<long[]> pairs) {
      List<long[]> all = new ArrayList<>();
      pairs.forEachRemaining(all::add);
      all.sort((a, b) -> Long.compare(a[0], b[0]));
      long[] at = new long[all.size()];
      long[] key = new long[all.size()];
      for (int i = 0; i < at.length; i++) {
        at[i] = all.get(i)[0];
        key[i] = all.get(i)[1];
      }
      return new Table(at, key);
    }

    long keyOf(long position) {
      int i = Arrays.binarySearch(at, position);
      if (i < 0) {
        throw new IllegalStateException("no key for the pool pair read at " + position);
      }
      return key[i];
    }
  }

  /** Numbers {@code rows} (persisted): a table a partition, computed and persisted here. */
  ReadOrderKeys(JavaRDD<PoolRow> rows) {
    this.rows = rows;
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
    tables =
        ranks
            .values()
            .mapPartitions(it -> List.of(Table.of(it)).iterator(), true)
            .persist(StorageLevel.MEMORY_AND_DISK())
            .setName("ser4j pool keys");
    tables.count();
  }

  /** The pool's pairs, each {@link PoolRow#order} its key: read through the tables, not stored. */
  JavaRDD<PoolRow> keyed() {
    return keyed(rows);
  }

  /**
   * {@code same}, the pool's pairs in the same parts as those numbered (the pool before a narrow
   * map: its texts, say), each {@link PoolRow#order} its key.
   */
  JavaRDD<PoolRow> keyed(JavaRDD<PoolRow> same) {
    return same.zipPartitions(tables, ReadOrderKeys::keyed);
  }

  /** A partition's pairs keyed by its table (static: the closure ships without this object). */
  private static Iterator<PoolRow> keyed(Iterator<PoolRow> pairs, Iterator<Table> table) {
    Table t = table.next();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return pairs.hasNext();
      }

      @Override
      public PoolRow next() {
        PoolRow r = pairs.next();
        return r.withOrder(t.keyOf(r.order()));
      }
    };
  }

  /** Lets the pool and its tables go. */
  void release() {
    rows.unpersist(false);
    tables.unpersist(false);
  }
}
