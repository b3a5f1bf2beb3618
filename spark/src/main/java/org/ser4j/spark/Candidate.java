package org.ser4j.spark;

import org.ser4j.data.UnlabeledPair;
import org.ser4j.model.learn.Comparison;

/**
 * A comparison a loop may self-label, as the executors score it: a pool pair not taken yet (its
 * place its key), or, with West-of-N, a prompt's best answer against its worst, taken from two pool
 * pairs ({@link ExecutorWestOfN}) and placed after every pool pair by its prompt's first pair
 * ({@code size + key}): in places' order the candidates are those of one process, in its order.
 * {@code r1} and {@code r2} are the rewards of its first and second answer.
 */
record Candidate(
    long place,
    double r1,
    double r2,
    int firstKey,
    boolean firstIsFirst,
    int secondKey,
    boolean secondIsFirst)
    implements java.io.Serializable {

  /** Pool pair {@code key}'s own two answers, in its order. */
  static Candidate plain(long key, double r1, double r2) {
    int k = Math.toIntExact(key);
    return new Candidate(key, r1, r2, k, true, k, false);
  }

  boolean built() {
    return firstKey != secondKey;
  }

  /** The comparison as the driver holds it: its pairs by key alone, no texts. */
  Comparison comparison() {
    return built()
        ? new Comparison(
            new Comparison.Answer(pairOfKey(firstKey), firstIsFirst),
            new Comparison.Answer(pairOfKey(secondKey), secondIsFirst))
        : Comparison.of(pairOfKey(firstKey));
  }

  static UnlabeledPair pairOfKey(int key) {
    return new UnlabeledPair(key, null, null, null, null, null);
  }
}
