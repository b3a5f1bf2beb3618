package org.ser4j.ser;

import java.util.List;

/**
 * Pairs to train on or judge by, as references: positions in the labeled seed (human labels), then
 * self-labeled pool pairs (the RM's labels). Each learner turns them into its own inputs (feature
 * vectors or token sequences), in this order.
 */
public record TrainingSet(int[] labeled, List<SelfLabel> selfLabeled) {
  public TrainingSet {
    selfLabeled = List.copyOf(selfLabeled);
  }

  public static TrainingSet labeled(int[] positions) {
    return new TrainingSet(positions, List.of());
  }

  public int size() {
    return labeled.length + selfLabeled.size();
  }
}
