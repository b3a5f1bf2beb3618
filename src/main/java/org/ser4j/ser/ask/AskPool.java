package org.ser4j.ser.ask;

/**
 * What an acquisition strategy sees of the pairs it may ask about, in the reward head's input
 * space: each candidate's feature difference d = x(first) - x(second) and the current RM's
 * probability p that the first answer is preferred (Bradley-Terry: sigmoid(w . d) for a linear
 * head); the same for the pairs already labeled (by people or the RM itself), which a past-aware
 * design counts.
 *
 * @param heldDiff the labeled pairs' differences (chosen minus rejected, or either order: the
 *     Fisher information and distances do not depend on it); may be empty
 * @param heldP the RM's probabilities for the labeled pairs (null: 0.5 each, no model yet)
 * @param ensembleP per bootstrap head, each candidate's probability (null: no ensemble)
 * @param rawScale per dimension, the factor from the head's input space back to the encoder's own
 *     features (the frozen head's standard deviations: raw d = d * rawScale); null where the head
 *     reads the features as they are
 */
public record AskPool(
    float[][] diff,
    double[] p,
    float[][] heldDiff,
    double[] heldP,
    double[][] ensembleP,
    float[] rawScale) {
  public AskPool {
    if (p != null && p.length != diff.length) {
      throw new IllegalArgumentException(p.length + " probabilities for " + diff.length + " pairs");
    }
  }

  /** A pool whose differences are the encoder's features as they are. */
  public AskPool(
      float[][] diff, double[] p, float[][] heldDiff, double[] heldP, double[][] ensembleP) {
    this(diff, p, heldDiff, heldP, ensembleP, null);
  }

  public int size() {
    return diff.length;
  }

  public int dimension() {
    return diff.length > 0 ? diff[0].length : heldDiff.length > 0 ? heldDiff[0].length : 0;
  }

  /** The RM's probability for candidate i (0.5 with no model yet). */
  double p(int i) {
    return p == null ? 0.5 : p[i];
  }

  double heldP(int j) {
    return heldP == null ? 0.5 : heldP[j];
  }
}
