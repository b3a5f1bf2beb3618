package org.ser4j.data.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;
import org.ser4j.data.SourceRef;
import org.ser4j.data.UnlabeledPair;

public class SplitsTest {
  /** n pairs over n/3 prompts (3 pairs each, as in AlpacaEval where pairs share prompts). */
  private static List<PreferencePair> pairs(int n) {
    List<PreferencePair> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new PreferencePair(
              "id" + i,
              Prompt.of("prompt " + (i / 3)),
              "good " + i,
              "bad " + i,
              new SourceRef("f", i + 1)));
    }
    return out;
  }

  private static List<String> ids(List<PreferencePair> pairs) {
    return pairs.stream().map(PreferencePair::id).toList();
  }

  @Test
  void labeledSeedIsIdenticalForTheSameSeedAndDiffersForAnother() {
    List<PreferencePair> train = pairs(1000);
    Splits.SeedAndPool a = Splits.labeledSeed(train, 0.15, 7);
    Splits.SeedAndPool b = Splits.labeledSeed(train, 0.15, 7);
    Splits.SeedAndPool c = Splits.labeledSeed(train, 0.15, 8);
    assertEquals(ids(a.labeled()), ids(b.labeled()));
    assertEquals(a.pool(), b.pool());
    assertNotEquals(ids(a.labeled()), ids(c.labeled()));
    assertNotEquals(a.pool(), c.pool());
  }

  @Test
  void labeledFractionIsHonouredWithinOnePair() {
    for (int n : new int[] {1, 2, 7, 10, 99, 1000, 1847}) {
      for (double f : new double[] {0.02, 0.05, 0.15, 0.3, 0.5, 0.999, 1.0}) {
        Splits.SeedAndPool split = Splits.labeledSeed(pairs(n), f, 3);
        assertTrue(
            Math.abs(split.labeled().size() - f * n) <= 1.0,
            "n=" + n + " f=" + f + " got " + split.labeled().size());
        assertEquals(n, split.labeled().size() + split.pool().size());
      }
    }
  }

  @Test
  void poolHidesTheOrderButGoldRecoversEveryLabel() {
    List<PreferencePair> train = pairs(500);
    Map<String, PreferencePair> byId = new HashMap<>();
    train.forEach(p -> byId.put(p.id(), p));
    Splits.SeedAndPool split = Splits.labeledSeed(train, 0.15, 11);
    int chosenFirst = 0;
    Set<String> seen = new HashSet<>(ids(split.labeled()));
    for (UnlabeledPair u : split.pool()) {
      PreferencePair original = byId.get(u.id());
      boolean first = split.gold().firstPreferred(u);
      assertEquals(original.chosen(), first ? u.first() : u.second());
      assertEquals(original.rejected(), first ? u.second() : u.first());
      chosenFirst += first ? 1 : 0;
      assertTrue(seen.add(u.id()), "a pair is either labeled or in the pool, once");
    }
    int poolSize = split.pool().size();
    assertTrue(
        chosenFirst > 0.4 * poolSize && chosenFirst < 0.6 * poolSize,
        "order is random: " + chosenFirst + "/" + poolSize);
  }

  @Test
  void testSplitKeepsEachPromptOnOneSide() {
    List<PreferencePair> all = pairs(900);
    Splits.TrainTest split = Splits.byPrompt(all, 0.2, 5);
    Set<String> trainPrompts = new HashSet<>();
    split.train().forEach(p -> trainPrompts.add(p.prompt().transcript()));
    for (PreferencePair p : split.test()) {
      assertTrue(
          !trainPrompts.contains(p.prompt().transcript()), "prompt on both sides: " + p.prompt());
    }
    assertEquals(900, split.train().size() + split.test().size());
    assertTrue(Math.abs(split.test().size() - 180) < 3, "test size " + split.test().size());
    assertEquals(ids(split.test()), ids(Splits.byPrompt(all, 0.2, 5).test()));
    assertNotEquals(ids(split.test()), ids(Splits.byPrompt(all, 0.2, 6).test()));
  }

  @Test
  void identicalResponsesAreDroppedAndCounted() {
    List<PreferencePair> list = new ArrayList<>(pairs(10));
    list.add(new PreferencePair("tie", Prompt.of("p"), "same", "same", new SourceRef("f", 11)));
    Splits.TieFilter filtered = Splits.dropTies(list);
    assertEquals(1, filtered.dropped());
    assertEquals(10, filtered.kept().size());
  }

  @Test
  void fractionsOutsideTheRangeAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Splits.labeledSeed(pairs(10), 0, 1));
    assertThrows(IllegalArgumentException.class, () -> Splits.labeledSeed(pairs(10), 1.5, 1));
    assertThrows(IllegalArgumentException.class, () -> Splits.byPrompt(pairs(10), 1.0, 1));
  }
}
