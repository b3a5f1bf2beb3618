package org.ser4j.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * How raw rewards are mapped before they reach a caller, saved in the model's config so every
 * caller of a served model gets the same scale.
 *
 * <ul>
 *   <li>{@code none}: r as is;
 *   <li>{@code zscore}: (r - mean) / std, with mean and std from a reference set;
 *   <li>{@code baseline}: the reference code's PPO shaping: s = sigmoid(r) clipped below at the
 *       baseline b, then mapped linearly from [b, 1] to [-1, 1].
 * </ul>
 *
 * Before any of these, an optional length correction (post-hoc reward calibration, Huang et al.,
 * ICLR 2025): r - slope * (length - meanLength), the slope of a least-squares fit of reward on
 * response length in characters over a reference set. With slope 0 (the default) it does nothing.
 * Unlike the three maps it can change which answer ranks first.
 */
public record RewardScale(
    @JsonProperty("method") String method,
    @JsonProperty("mean") double mean,
    @JsonProperty("std") double std,
    @JsonProperty("baseline") double baseline,
    @JsonProperty("length_slope") double lengthSlope,
    @JsonProperty("length_mean") double lengthMean)
    implements java.io.Serializable {

  public static final RewardScale NONE = new RewardScale("none", 0, 1, 0, 0, 0);

  public RewardScale {
    if (!method.equals("none") && !method.equals("zscore") && !method.equals("baseline")) {
      throw new IllegalArgumentException(
          "unknown reward scale '" + method + "'; expected none, zscore or baseline");
    }
    if (method.equals("zscore") && !(std > 0)) {
      throw new IllegalArgumentException("zscore needs a positive std, got " + std);
    }
    if (method.equals("baseline") && !(baseline >= 0 && baseline < 1)) {
      throw new IllegalArgumentException("baseline must be in [0, 1), got " + baseline);
    }
    if (!Double.isFinite(lengthSlope) || !Double.isFinite(lengthMean)) {
      throw new IllegalArgumentException("length correction must be finite");
    }
  }

  /**
   * The scale `ser scale` fits: {@code method} zscore (on the reference rewards, after the length
   * correction if any), baseline ({@code baseline} subtracted) or none, with a least-squares length
   * correction fitted on the reference answers' rewards and lengths when {@code lengthDebias}.
   * {@code rewards} and {@code lengths} may be null where neither zscore nor the correction reads
   * them.
   */
  public static RewardScale fit(
      String method, double baseline, boolean lengthDebias, double[] rewards, int[] lengths) {
    RewardScale correction = RewardScale.NONE;
    double[] reference = rewards;
    if (lengthDebias) {
      correction =
          lengthCorrection(rewards, java.util.Arrays.stream(lengths).asDoubleStream().toArray());
      reference = new double[rewards.length];
      for (int i = 0; i < rewards.length; i++) {
        reference[i] = correction.corrected(rewards[i], lengths[i]);
      }
    }
    return switch (method) {
      case "zscore" -> correction.withZscore(reference);
      case "baseline" -> baseline(baseline).withLengthCorrectionOf(correction);
      case "none" -> correction;
      default ->
          throw new IllegalArgumentException(
              "unknown --method '" + method + "'; expected zscore, baseline or none");
    };
  }

  /** z-scores over {@code referenceRewards} (already length-corrected, where that is on). */
  public RewardScale withZscore(double[] referenceRewards) {
    double m = 0;
    for (double r : referenceRewards) {
      m += r;
    }
    m /= referenceRewards.length;
    double var = 0;
    for (double r : referenceRewards) {
      var += (r - m) * (r - m);
    }
    return new RewardScale(
        "zscore", m, Math.sqrt(var / referenceRewards.length), 0, lengthSlope, lengthMean);
  }

  public static RewardScale zscore(double[] referenceRewards) {
    return NONE.withZscore(referenceRewards);
  }

  public static RewardScale baseline(double b) {
    return new RewardScale("baseline", 0, 1, b, 0, 0);
  }

  /** This scale with the same map, keeping {@code other}'s length correction. */
  public RewardScale withLengthCorrectionOf(RewardScale other) {
    return new RewardScale(method, mean, std, baseline, other.lengthSlope, other.lengthMean);
  }

  /** The length correction fitted by least squares of {@code rewards} on {@code lengths}. */
  public static RewardScale lengthCorrection(double[] rewards, double[] lengths) {
    SimpleRegression fit = new SimpleRegression();
    double meanLength = 0;
    for (int i = 0; i < rewards.length; i++) {
      fit.addData(lengths[i], rewards[i]);
      meanLength += lengths[i];
    }
    double slope = fit.getSlope();
    if (!Double.isFinite(slope)) {
      throw new IllegalArgumentException(
          "cannot fit a length correction: the reference responses all have one length");
    }
    return new RewardScale("none", 0, 1, 0, slope, meanLength / rewards.length);
  }

  public boolean correctsLength() {
    return lengthSlope != 0;
  }

  /** The raw reward with the length correction applied: what ranks answers. */
  public double corrected(double raw, int length) {
    return raw - lengthSlope * (length - lengthMean);
  }

  /** What a caller receives for a response of {@code length} characters with raw reward r. */
  public double apply(double raw, int length) {
    return apply(corrected(raw, length));
  }

  /** The map alone, without the length correction (a monotone function of r). */
  public double apply(double raw) {
    switch (method) {
      case "zscore":
        return (raw - mean) / std;
      case "baseline":
        double s = Math.max(Loss.sigmoid(raw), baseline);
        return 2 * (s - baseline) / (1 - baseline) - 1;
      default:
        return raw;
    }
  }
}
