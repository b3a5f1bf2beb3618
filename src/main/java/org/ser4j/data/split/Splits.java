package org.ser4j.data.split;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.ser4j.data.GoldLabels;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;
import org.ser4j.data.UnlabeledPair;

/** Seeded, deterministic splits for the SER setting. Each side keeps the file's order. */
public final class Splits {
  private Splits() {}

  public record TrainTest(List<PreferencePair> train, List<PreferencePair> test) {}

  /** The labeled seed L, the unlabeled pool U (gold labels set aside) of one training set. */
  public record SeedAndPool(
      List<PreferencePair> labeled, List<UnlabeledPair> pool, GoldLabels gold) {}

  /** Pairs kept, and how many were dropped because both responses were the same text. */
  public record TieFilter(List<PreferencePair> kept, int dropped) {}

  public static TieFilter dropTies(List<PreferencePair> pairs) {
    List<PreferencePair> kept = new ArrayList<>(pairs.size());
    for (PreferencePair pair : pairs) {
      if (!pair.isTie()) {
        kept.add(pair);
      }
    }
    return new TieFilter(kept, pairs.size() - kept.size());
  }

  /**
   * Splits by prompt so that no prompt is on both sides: prompts are shuffled with {@code seed} and
   * whole prompt groups go to the test side until it holds {@code testFraction} of the pairs (it
   * may exceed that by less than one group).
   */
  public static TrainTest byPrompt(List<PreferencePair> pairs, double testFraction, long seed) {
    requireFraction("test fraction", testFraction, false);
    List<List<Integer>> order = Prompt.groups(pairs, PreferencePair::prompt);
    Collections.shuffle(order, new Random(seed));
    long target = Math.round(testFraction * pairs.size());
    BitSet test = new BitSet(pairs.size());
    int testCount = 0;
    for (List<Integer> group : order) {
      if (testCount >= target) {
        break;
      }
      for (int i : group) {
        test.set(i);
      }
      testCount += group.size();
    }
    List<PreferencePair> trainSide = new ArrayList<>(pairs.size() - testCount);
    List<PreferencePair> testSide = new ArrayList<>(testCount);
    for (int i = 0; i < pairs.size(); i++) {
      (test.get(i) ? testSide : trainSide).add(pairs.get(i));
    }
    return new TrainTest(trainSide, testSide);
  }

  /**
   * Draws a labeled seed of {@code round(labeledFraction * n)} pairs (at least one when the
   * fraction is positive); the rest become the unlabeled pool, each pair's two responses put in a
   * seeded random order so that position says nothing about preference.
   */
  public static SeedAndPool labeledSeed(
      List<PreferencePair> train, double labeledFraction, long seed) {
    requireFraction("labeled fraction", labeledFraction, true);
    int n = train.size();
    int labeledCount = (int) Math.round(labeledFraction * n);
    if (labeledFraction > 0 && n > 0) {
      labeledCount = Math.max(1, labeledCount);
    }
    List<Integer> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    // A stream of its own, so the seed draw does not mirror the test split's shuffle.
    Random random = new Random(seed * 0x9E3779B97F4A7C15L + 0x5EEDL);
    Collections.shuffle(order, random);
    BitSet labeled = new BitSet(n);
    for (int i = 0; i < labeledCount; i++) {
      labeled.set(order.get(i));
    }
    List<PreferencePair> seedPairs = new ArrayList<>(labeledCount);
    List<UnlabeledPair> pool = new ArrayList<>(n - labeledCount);
    BitSet firstPreferred = new BitSet();
    for (int i = 0; i < n; i++) {
      PreferencePair pair = train.get(i);
      if (labeled.get(i)) {
        seedPairs.add(pair);
        continue;
      }
      boolean chosenFirst = random.nextBoolean();
      int key = pool.size();
      firstPreferred.set(key, chosenFirst);
      pool.add(
          new UnlabeledPair(
              key,
              pair.id(),
              pair.prompt(),
              chosenFirst ? pair.chosen() : pair.rejected(),
              chosenFirst ? pair.rejected() : pair.chosen(),
              pair.source()));
    }
    return new SeedAndPool(seedPairs, pool, new GoldLabels(firstPreferred, pool.size()));
  }

  private static void requireFraction(String name, double f, boolean allowOne) {
    if (!(f > 0 && (f < 1 || (allowOne && f == 1)))) {
      throw new IllegalArgumentException(
          name + " must be in (0, 1" + (allowOne ? "]" : ")") + ", got " + f);
    }
  }
}
