package org.ser4j.model;

import com.fasterxml.jackson.annotation.JsonProperty;

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
 */
public record RewardScale(
    @JsonProperty("method") String method,
    @JsonProperty("mean") double mean,
    @JsonProperty("std") double std,
    @JsonProperty("baseline") double baseline) {

  public static final RewardScale NONE = new RewardScale("none", 0, 1, 0);

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
  }

  public static RewardScale zscore(double[] referenceRewards) {
    double mean = 0;
    for (double r : referenceRewards) {
      mean += r;
    }
    mean /= referenceRewards.length;
    double var = 0;
    for (double r : referenceRewards) {
      var += (r - mean) * (r - mean);
    }
    return new RewardScale("zscore", mean, Math.sqrt(var / referenceRewards.length), 0);
  }

  public static RewardScale baseline(double b) {
    return new RewardScale("baseline", 0, 1, b);
  }

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
