package org.ser4j.spark;

import org.apache.spark.Partitioner;

/**
 * Pool keys 0 to {@code size} - 1 cut into {@code parts} ranges of equal width, in order: sorted
 * within each, the parts read one after another give the pairs in read order (a range partitioner
 * whose bounds are known, so nothing is sampled: Spark's would read the pool once more to find
 * them).
 */
final class KeyRanges extends Partitioner {
  private final int parts;
  private final long size;

  KeyRanges(int parts, long size) {
    this.parts = Math.max(1, parts);
    this.size = Math.max(1, size);
  }

  @Override
  public int numPartitions() {
    return parts;
  }

  @Override
  public int getPartition(Object key) {
    long k = (Long) key;
    return (int) Math.min(parts - 1, Math.max(0, k) * parts / size);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyRanges r && r.parts == parts && r.size == size;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(31L * parts + size);
  }
}
