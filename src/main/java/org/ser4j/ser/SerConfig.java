package org.ser4j.ser;

import org.ser4j.model.TrainConfig;

/**
 * The SER loop's settings.
 *
 * @param rule which pairs are selected (default {@link SelectionRule#BOTH}, as the reference code)
 * @param maxLoops loops after Loop 0 (default 4)
 * @param minNew stop when a loop selects fewer new pairs than this (default 10)
 * @param warmStart retrain from the previous loop's head instead of from scratch (default false)
 * @param validationFraction share of the labeled seed held out to early-stop training and judge loops (never the test set)
 */
public record SerConfig(
    SelectionRule rule, Thresholds thresholds, int maxLoops, int minNew, boolean warmStart, double validationFraction, TrainConfig train) {

  public static SerConfig defaults() {
    return new SerConfig(SelectionRule.BOTH, Thresholds.paper(), 4, 10, false, 0.1, TrainConfig.defaults());
  }

  public SerConfig withRule(SelectionRule r) {
    return new SerConfig(r, thresholds, maxLoops, minNew, warmStart, validationFraction, train);
  }

  public SerConfig withWarmStart(boolean w) {
    return new SerConfig(rule, thresholds, maxLoops, minNew, w, validationFraction, train);
  }

  public SerConfig withTrain(TrainConfig t) {
    return new SerConfig(rule, thresholds, maxLoops, minNew, warmStart, validationFraction, t);
  }

  public SerConfig withLoops(int max, int min) {
    return new SerConfig(rule, thresholds, max, min, warmStart, validationFraction, train);
  }
}
