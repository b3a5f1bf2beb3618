package org.ser4j.spark;

import java.io.Serializable;
import org.ser4j.data.Prompt;

/**
 * One pool pair on the executors: where it was read ({@code order}: a code of its file, record and
 * pair as read; once the pool is numbered ({@link ReadOrderKeys}), its place in read order from 0,
 * which is also its key, as one process keys its pool), its content id, its id as selected.jsonl
 * names it, its texts, and, once encoded, its answers' vectors.
 */
record PoolRow(
    long order,
    long contentId,
    String id,
    Prompt prompt,
    String first,
    String second,
    float[] firstVector,
    float[] secondVector)
    implements Serializable {

  /** This pair's ids and vectors alone, as a fit fetches them. */
  PoolRow vectorsOnly() {
    return new PoolRow(order, contentId, null, null, null, null, firstVector, secondVector);
  }

  PoolRow withOrder(long place) {
    return new PoolRow(place, contentId, id, prompt, first, second, firstVector, secondVector);
  }

  PoolRow withVectors(float[] a, float[] b) {
    return new PoolRow(order, contentId, id, prompt, first, second, a, b);
  }

  /** Pair {@code pair} of record {@code line} (1-based) of file {@code file} in read order. */
  static long order(int file, long line, int pair) {
    return ((long) file << 42) | (line << 8) | pair;
  }
}
