package org.ser4j.data;

/**
 * A pair from the unlabeled pool: two responses in a random order, with no hint of which one a
 * human preferred. The gold label stays in {@link GoldLabels}, used only to measure how well
 * self-labels agree with it, never for training.
 *
 * @param key a pool-unique number that indexes {@link GoldLabels}
 */
public record UnlabeledPair(
    int key, String id, Prompt prompt, String first, String second, SourceRef source) {}
