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

  /** One pair's loss and its derivatives with respect to the two rewards. */
  public record PairLoss(double loss, double dChosen, double dRejected) {}

  /** The loss of one pair and its derivatives with respect to the two rewards. */
  public PairLoss of(double rChosen, double rRejected) {
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
    return new PairLoss(loss, dc, dr);
  }

  /** Mean loss and accuracy over pairs. */
  public record Evaluation(double loss, double accuracy) {
    public static final Evaluation NONE = new Evaluation(Double.NaN, Double.NaN);
  }

  /**
   * The mean loss and the accuracy of pairs with these rewards ({@link Evaluation#NONE} for no
   * pairs).
   */
  public Evaluation evaluate(PairRewards rewards) {
    int n = rewards.size();
    if (n == 0) {
      return Evaluation.NONE;
    }
    double loss = 0;
    for (int i = 0; i < n; i++) {
      loss += of(rewards.chosen()[i], rewards.rejected()[i]).loss();
    }
    return new Evaluation(loss / n, rewards.accuracy());
  }
}
