package org.ser4j.model.learn;

import java.util.List;

/**
 * Pairs to train on or judge by, as references: positions in the labeled seed (human labels), then
 * self-labeled pool pairs (the RM's labels), each self-label weighing {@code selfLabelWeight} in
 * the loss against 1 for a human label. Each learner turns them into its own inputs (feature
 * vectors or token sequences), in this order.
 */
public record TrainingSet(int[] labeled, List<SelfLabel> selfLabeled, double selfLabelWeight) {
  public TrainingSet {
    // Packed labels (millions, from a pool on a cluster) are frozen as they are, not copied out.
    selfLabeled =
        selfLabeled instanceof PackedSelfLabels p ? p.snapshot() : List.copyOf(selfLabeled);
  }

  public TrainingSet(int[] labeled, List<SelfLabel> selfLabeled) {
    this(labeled, selfLabeled, 1.0);
  }

  /** Whether every pair weighs the same in the loss. */
  public boolean unweighted() {
    return selfLabelWeight == 1.0 || selfLabeled.isEmpty();
  }

  /** No pairs: a fit with nothing held out. */
  public static TrainingSet none() {
    return labeled(new int[0]);
  }

  public static TrainingSet labeled(int[] positions) {
    return new TrainingSet(positions, List.of());
  }

  public int size() {
    return labeled.length + selfLabeled.size();
  }
}
