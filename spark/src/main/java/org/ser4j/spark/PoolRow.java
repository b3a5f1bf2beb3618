package org.ser4j.spark;

import java.io.Serializable;
import org.ser4j.data.ContentId;
import org.ser4j.data.Prompt;

/**
 * One pool pair on the executors: where it was read ({@code order}: a code of its file, record and
 * pair as read; once the pool is numbered ({@link ReadOrderKeys}), its place in read order from 0,
 * which is also its key, as one process keys its pool), its content id, its id as selected.jsonl
 * names it, its texts and their lengths, and, once encoded, its answers' vectors; with West-of-N
 * also its prompt's and answers' ids by content ({@link #textIds}, {@link ContentId#ofText}), which
 * group and tell answers apart where the texts are not kept. The pool is persisted without its
 * texts ({@link #vectorsOnly}): they are read again where a job needs them.
 */
record PoolRow(
    long order,
    long contentId,
    String id,
    Prompt prompt,
    String first,
    String second,
    int firstLength,
    int secondLength,
    float[] firstVector,
    float[] secondVector,
    long[] textIds) // {prompt, first, second} by ContentId.ofText, or null
    implements Serializable {

  /** A pair with its texts, their lengths theirs. */
  PoolRow(
      long order,
      long contentId,
      String id,
      Prompt prompt,
      String first,
      String second,
      float[] firstVector,
      float[] secondVector) {
    this(
        order,
        contentId,
        id,
        prompt,
        first,
        second,
        first == null ? 0 : first.length(),
        second == null ? 0 : second.length(),
        firstVector,
        secondVector,
        null);
  }

  /** The prompt's id by content ({@link ContentId#ofText} of its transcript). */
  long promptId() {
    return textIds[0];
  }

  /** This pair with its texts' ids by content, computed from its texts. */
  PoolRow withTextIds() {
    return withTextIds(
        new long[] {
          ContentId.ofText(prompt.transcript()), ContentId.ofText(first), ContentId.ofText(second)
        });
  }

  PoolRow withTextIds(long[] ids) {
    return new PoolRow(
        order,
        contentId,
        id,
        prompt,
        first,
        second,
        firstLength,
        secondLength,
        firstVector,
        secondVector,
        ids);
  }

  /**
   * This pair's ids, answer lengths and vectors, no texts: as the pool is persisted (length balance
   * reads the lengths), and as a fit fetches it.
   */
  PoolRow vectorsOnly() {
    return new PoolRow(
        order,
        contentId,
        null,
        null,
        null,
        null,
        firstLength,
        secondLength,
        firstVector,
        secondVector,
        textIds);
  }

  PoolRow withOrder(long place) {
    return new PoolRow(
        place,
        contentId,
        id,
        prompt,
        first,
        second,
        firstLength,
        secondLength,
        firstVector,
        secondVector,
        textIds);
  }

  PoolRow withVectors(float[] a, float[] b) {
    return new PoolRow(
        order, contentId, id, prompt, first, second, firstLength, secondLength, a, b, textIds);
  }

  /** Pair {@code pair} of record {@code line} (1-based) of file {@code file} in read order. */
  static long order(int file, long line, int pair) {
    return ((long) file << 42) | (line << 8) | pair;
  }
}
