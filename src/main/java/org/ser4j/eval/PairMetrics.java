package org.ser4j.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * How well rewards order preference pairs. Accuracy counts pairs whose chosen response scored
 * strictly higher. Calibration looks at P(chosen > rejected) = sigmoid(margin) as a prediction:
 * each pair's confidence is max(p, 1 - p) and it is right when p > 0.5; the expected calibration
 * error (ECE) is the pair-weighted mean |accuracy - confidence| over equal-width confidence bins on
 * [0.5, 1].
 */
public record PairMetrics(
    int pairs,
    double accuracy,
    double meanMargin,
    double ece,
    List<Bin> reliability,
    double[] margins) {

  public static final int BINS = 10;

  /** One confidence bin of the reliability diagram. */
  public record Bin(double low, double high, int count, double confidence, double accuracy) {}

  public static PairMetrics of(double[] chosenRewards, double[] rejectedRewards) {
    int n = chosenRewards.length;
    if (n != rejectedRewards.length) {
      throw new IllegalArgumentException("reward arrays differ in length");
    }
    double[] margins = new double[n];
    int correct = 0;
    double marginSum = 0;
    int[] count = new int[BINS];
    double[] confSum = new double[BINS];
    int[] right = new int[BINS];
    for (int i = 0; i < n; i++) {
      double m = chosenRewards[i] - rejectedRewards[i];
      margins[i] = m;
      marginSum += m;
      correct += m > 0 ? 1 : 0;
      double p = 1 / (1 + Math.exp(-m));
      double confidence = Math.max(p, 1 - p);
      int bin = Math.min(BINS - 1, (int) ((confidence - 0.5) / 0.5 * BINS));
      count[bin]++;
      confSum[bin] += confidence;
      right[bin] += p > 0.5 ? 1 : 0;
    }
    List<Bin> bins = new ArrayList<>();
    double ece = 0;
    for (int b = 0; b < BINS; b++) {
      double low = 0.5 + 0.5 * b / BINS;
      double high = 0.5 + 0.5 * (b + 1) / BINS;
      double conf = count[b] == 0 ? Double.NaN : confSum[b] / count[b];
      double acc = count[b] == 0 ? Double.NaN : (double) right[b] / count[b];
      bins.add(new Bin(low, high, count[b], conf, acc));
      if (count[b] > 0) {
        ece += (double) count[b] / n * Math.abs(acc - conf);
      }
    }
    return new PairMetrics(
        n,
        n == 0 ? Double.NaN : (double) correct / n,
        n == 0 ? Double.NaN : marginSum / n,
        ece,
        bins,
        margins);
  }
}
