package org.ser4j.data;

import java.util.List;

/**
 * A pair from the unlabeled pool: two responses in a random order, with no hint of which one a
 * human preferred. The gold label stays in {@link GoldLabels}, used only to measure how well
 * self-labels agree with it, never for training.
 *
 * @param key a pool-unique number that indexes {@link GoldLabels}
 */
public record UnlabeledPair(
    int key, String id, Prompt prompt, String first, String second, SourceRef source) {

  /**
   * A pool's pairs by key, where each pair's key is its place in {@code pool} (as the data layer
   * numbers a pool); null for a key that is not there (a run's saved label over a changed file).
   */
  public static java.util.function.IntFunction<UnlabeledPair> byKey(List<UnlabeledPair> pool) {
    return k -> k >= 0 && k < pool.size() && pool.get(k).key() == k ? pool.get(k) : null;
  }
}
