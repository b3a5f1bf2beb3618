package org.ser4j.model.head;

import java.util.ArrayList;
import java.util.List;
import org.ser4j.model.AdamW;

/**
 * Disentangled reward in the spirit of ODIN (Chen et al., ICML 2024): during training the reward is
 * r = r_Q(x) + beta . s, where s are an answer's standardized style measures (length, markdown) and
 * r_Q the linear quality head. After every step r_Q's weights are projected so that r_Q is
 * uncorrelated with each style over the training answers, and its pair margins with each style's
 * pair difference: style is explained by beta, where it explains the labels, and r_Q learns the
 * rest. Only r_Q is kept as the model's reward.
 *
 * <p>Why a projection rather than ODIN's correlation penalty: for a linear head the correlation of
 * r_Q with a style is zero exactly when the weights are orthogonal to the features' covariance with
 * that style, so the constraint can hold exactly, with no penalty weight to tune.
 */
final class StyleTerm {
  private final List<org.ser4j.data.Style> styles;
  private final double[] mean;
  private final double[] std;
  private final double[][] trainC; // standardized styles of training pairs
  private final double[][] trainR;
  private final double[][] valC;
  private final double[][] valR;
  private final double[][] basis; // orthonormal rows: the directions r_Q's weights must not use
  private final double[] beta;
  private final double[] grad;
  private final AdamW adam;

  private StyleTerm(StyleInputs in, PairFeatures train) {
    styles = in.styles();
    int m = styles.size();
    mean = new double[m];
    std = new double[m];
    int n = train.size();
    for (int k = 0; k < m; k++) {
      double[] column = new double[2 * n];
      for (int i = 0; i < n; i++) {
        column[i] = in.trainChosen()[i][k];
        column[n + i] = in.trainRejected()[i][k];
      }
      mean[k] = org.apache.commons.math3.stat.StatUtils.mean(column);
      double sd = Math.sqrt(variance(column));
      std[k] = sd > 1e-12 ? sd : 1.0; // a constant style explains nothing
    }
    trainC = standardize(in.trainChosen());
    trainR = standardize(in.trainRejected());
    valC = standardize(in.validationChosen());
    valR = standardize(in.validationRejected());
    basis = constraintBasis(train, trainC, trainR);
    beta = new double[m];
    grad = new double[m];
    adam = AdamW.forDoubles(m, 0, new boolean[m]);
  }

  /** The term for standardized training features {@code train} and their answers' styles. */
  static StyleTerm of(StyleInputs in, PairFeatures train) {
    if (in.trainChosen().length != train.size()) {
      throw new IllegalArgumentException(
          in.trainChosen().length + " style rows for " + train.size() + " training pairs");
    }
    return new StyleTerm(in, train);
  }

  private double[][] standardize(double[][] raw) {
    double[][] out = new double[raw.length][mean.length];
    for (int i = 0; i < raw.length; i++) {
      for (int k = 0; k < mean.length; k++) {
        out[i][k] = (raw[i][k] - mean[k]) / std[k];
      }
    }
    return out;
  }

  /**
   * Per style, two directions: the features' covariance with the style over every training answer
   * (so r_Q is uncorrelated with it across answers) and the pair differences' covariance with the
   * style's pair differences (so r_Q's margins are uncorrelated with it within pairs); made
   * orthonormal, near-dependent ones dropped.
   */
  private static double[][] constraintBasis(PairFeatures x, double[][] sc, double[][] sr) {
    int n = x.size();
    int d = x.chosen()[0].length;
    double[] featureMean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        featureMean[j] += x.chosen()[i][j] + x.rejected()[i][j];
      }
    }
    for (int j = 0; j < d; j++) {
      featureMean[j] /= 2.0 * n;
    }
    List<double[]> directions = new ArrayList<>();
    for (int k = 0; k < sc[0].length; k++) {
      double[] across = new double[d];
      double[] within = new double[d];
      for (int i = 0; i < n; i++) {
        float[] c = x.chosen()[i];
        float[] r = x.rejected()[i];
        double ds = sc[i][k] - sr[i][k];
        for (int j = 0; j < d; j++) {
          across[j] += (c[j] - featureMean[j]) * sc[i][k] + (r[j] - featureMean[j]) * sr[i][k];
          within[j] += (c[j] - r[j]) * ds;
        }
      }
      directions.add(across);
      directions.add(within);
    }
    List<double[]> basis = new ArrayList<>();
    for (double[] v : directions) {
      double norm0 = Math.sqrt(dot(v, v));
      for (double[] q : basis) { // Gram-Schmidt, modified
        double a = dot(q, v);
        for (int j = 0; j < d; j++) {
          v[j] -= a * q[j];
        }
      }
      double norm = Math.sqrt(dot(v, v));
      if (norm > 1e-9 * Math.max(1, norm0)) {
        for (int j = 0; j < d; j++) {
          v[j] /= norm;
        }
        basis.add(v);
      }
    }
    return basis.toArray(new double[0][]);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += a[j] * b[j];
    }
    return s;
  }

  /**
   * Removes from the first {@code d} entries of {@code params} (r_Q's weights) every constrained
   * direction.
   */
  void project(double[] params, int d) {
    for (double[] q : basis) {
      double a = 0;
      for (int j = 0; j < d; j++) {
        a += q[j] * params[j];
      }
      for (int j = 0; j < d; j++) {
        params[j] -= a * q[j];
      }
    }
  }

  /** beta . s of training pair {@code row}'s chosen ({@code chosen}) or rejected answer. */
  double train(int row, boolean chosen) {
    return dot(beta, chosen ? trainC[row] : trainR[row]);
  }

  double validation(int row, boolean chosen) {
    return dot(beta, chosen ? valC[row] : valR[row]);
  }

  void clearGradient() {
    java.util.Arrays.fill(grad, 0);
  }

  /** Adds the gradient of a training pair's loss with respect to beta. */
  void backward(int row, double dChosen, double dRejected) {
    for (int k = 0; k < beta.length; k++) {
      grad[k] += dChosen * trainC[row][k] + dRejected * trainR[row][k];
    }
  }

  /**
   * One Adam step at {@code STEP_FACTOR} times the head's rate: the head moves in hundreds of
   * directions at once, the style head in one or two, and at the head's rate it would stay near
   * zero within the epochs early stopping allows (measured on HH-RLHF: 0.045 per sd at 1x, 0.38 at
   * 100x and 0.50 at 1000x; the quality head's test accuracy within 0.3 point of each other).
   */
  void step(double headRate) {
    adam.step(beta, grad, headRate * STEP_FACTOR);
  }

  static final double STEP_FACTOR = 100;

  double[] beta() {
    return beta.clone();
  }

  /**
   * What the style head explains, for the report: its coefficients (reward per standard deviation
   * of each style, and per raw unit) and its share of the reward's variance over the training
   * answers. r_Q is uncorrelated with every style there, so the variances add.
   */
  StyleFit fit(double[] keptBeta, double[] qualityChosen, double[] qualityRejected) {
    int n = qualityChosen.length;
    double[] style = new double[2 * n];
    double[] quality = new double[2 * n];
    for (int i = 0; i < n; i++) {
      style[i] = dot(keptBeta, trainC[i]);
      style[n + i] = dot(keptBeta, trainR[i]);
      quality[i] = qualityChosen[i];
      quality[n + i] = qualityRejected[i];
    }
    double vs = variance(style);
    double vq = variance(quality);
    double[] perUnit = new double[keptBeta.length];
    for (int k = 0; k < perUnit.length; k++) {
      perUnit[k] = keptBeta[k] / std[k];
    }
    return new StyleFit(
        styles, keptBeta.clone(), perUnit, mean.clone(), std.clone(), vs / (vs + vq), basis.length);
  }

  /** Population variance (commons-math). */
  private static double variance(double[] v) {
    return new org.apache.commons.math3.stat.descriptive.moment.Variance(false).evaluate(v);
  }
}
