package org.ser4j.model;

/**
 * Training losses. PAIRWISE is Bradley-Terry, -log sigmoid(r_chosen - r_rejected); POINTWISE is
 * binary cross-entropy on sigmoid(r) with target 1 for the chosen and 0 for the rejected answer
 * (the reference code's reading of s = sigmoid(r) as "this answer is good"); BOTH adds them.
 */
public enum Loss {
  PAIRWISE,
  POINTWISE,
  BOTH;

  /** -log sigmoid(z), computed without overflow. */
  static double softplusNeg(double z) {
    return z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
  }

  /** The logistic function, without overflow for large |z|. */
  public static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }

  /** The loss of one pair and its derivatives with respect to the two rewards: {loss, dChosen, dRejected}. */
  double[] of(double rChosen, double rRejected) {
    double loss = 0;
    double dc = 0;
    double dr = 0;
    if (this != POINTWISE) {
      double margin = rChosen - rRejected;
      loss += softplusNeg(margin);
      double g = sigmoid(margin) - 1;
      dc += g;
      dr -= g;
    }
    if (this != PAIRWISE) {
      loss += softplusNeg(rChosen) + softplusNeg(-rRejected);
      dc += sigmoid(rChosen) - 1;
      dr += sigmoid(rRejected);
    }
    return new double[] {loss, dc, dr};
  }
}
