package org.ser4j.eval;

import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * How much a reward model rewards length: the correlation of reward with response length
 * (characters) over every scored response, and pair accuracy split by whether the chosen answer is
 * the longer or the shorter one. The shorter-chosen side is the hard case for a length-biased RM
 * (RM-Bench's "hard" split); pairs of equal length are in neither side.
 */
public record LengthBias(
    int responses,
    double pearson,
    double spearman,
    int chosenLonger,
    double accuracyChosenLonger,
    int chosenShorter,
    double accuracyChosenShorter) {

  public static LengthBias ofPairs(
      double[] chosenRewards,
      double[] rejectedRewards,
      double[] chosenLengths,
      double[] rejectedLengths) {
    int n = chosenRewards.length;
    double[] r = new double[2 * n];
    double[] len = new double[2 * n];
    System.arraycopy(chosenRewards, 0, r, 0, n);
    System.arraycopy(rejectedRewards, 0, r, n, n);
    System.arraycopy(chosenLengths, 0, len, 0, n);
    System.arraycopy(rejectedLengths, 0, len, n, n);
    int[] sides = StyleSplit.sides(chosenRewards, rejectedRewards, chosenLengths, rejectedLengths);
    int longer = sides[0];
    int longerRight = sides[1];
    int shorter = sides[2];
    int shorterRight = sides[3];
    return new LengthBias(
        2 * n,
        correlation(r, len, false),
        correlation(r, len, true),
        longer,
        longer == 0 ? Double.NaN : (double) longerRight / longer,
        shorter,
        shorter == 0 ? Double.NaN : (double) shorterRight / shorter);
  }

  /** Pearson (or Spearman) correlation; NaN when fewer than 3 values or one side is constant. */
  public static double correlation(double[] rewards, double[] lengths, boolean rank) {
    if (rewards.length < 3) {
      return Double.NaN;
    }
    return rank
        ? new SpearmansCorrelation().correlation(rewards, lengths)
        : new PearsonsCorrelation().correlation(rewards, lengths);
  }
}
