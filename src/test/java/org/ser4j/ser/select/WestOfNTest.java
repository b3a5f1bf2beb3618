package org.ser4j.ser.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;
import org.ser4j.data.SourceRef;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.split.Splits;
import org.ser4j.model.PairRewards;
import org.ser4j.model.learn.Comparison;

/**
 * West-of-N pairs on a synthetic AlpacaEval-shaped pool: every pair puts one system's answer
 * against the prompt's reference answer, the better one chosen; the RM's rewards are random.
 */
public class WestOfNTest {
  private record Pool(
      List<PreferencePair> pairs, Splits.SeedAndPool split, Map<String, Double> reward) {}

  /** {@code prompts} prompts with 1 to 7 systems each; a few pairs also compare two systems. */
  private static Pool pool(int prompts, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<PreferencePair> pairs = new ArrayList<>();
    Map<String, Double> reward = new HashMap<>();
    for (int q = 0; q < prompts; q++) {
      Prompt prompt = Prompt.of("question " + q);
      String ref = "reference " + q;
      double refQuality = random.nextGaussian();
      reward.put(ref, random.nextGaussian());
      int systems = 1 + random.nextInt(7);
      String previous = null;
      double previousQuality = 0;
      for (int s = 0; s < systems; s++) {
        String answer = "system " + s + " on " + q;
        double quality = random.nextGaussian();
        reward.put(answer, random.nextGaussian());
        pairs.add(labeled(prompt, answer, quality, ref, refQuality, pairs.size()));
        if (previous != null && random.nextInt(4) == 0) {
          pairs.add(labeled(prompt, answer, quality, previous, previousQuality, pairs.size()));
        }
        previous = answer;
        previousQuality = quality;
      }
    }
    // A tiny seed: nearly every pair goes to the pool, in a random order of answers.
    return new Pool(pairs, Splits.labeledSeed(pairs, 0.01, seed), reward);
  }

  private static PreferencePair labeled(
      Prompt prompt, String a, double qa, String b, double qb, int line) {
    return new PreferencePair(
        "p" + line, prompt, qa > qb ? a : b, qa > qb ? b : a, new SourceRef("synthetic", line));
  }

  private static PairRewards rewards(List<UnlabeledPair> pool, Map<String, Double> reward) {
    double[] r1 = new double[pool.size()];
    double[] r2 = new double[pool.size()];
    for (int i = 0; i < pool.size(); i++) {
      r1[i] = reward.get(pool.get(i).first());
      r2[i] = reward.get(pool.get(i).second());
    }
    return new PairRewards(r1, r2);
  }

  @Test
  void buildsEachPromptsBestAgainstItsWorstWhereNoPairComparesThem() {
    Pool p = pool(300, 11);
    List<UnlabeledPair> pool = p.split().pool();
    WestOfN.Built built = WestOfN.build(pool, rewards(pool, p.reward()));

    // Independently: per prompt, the distinct answers and the compared couples.
    Map<String, Set<String>> answers = new HashMap<>();
    Set<String> compared = new HashSet<>();
    for (UnlabeledPair u : pool) {
      String q = u.prompt().transcript();
      answers.computeIfAbsent(q, k -> new HashSet<>()).add(u.first());
      answers.get(q).add(u.second());
      compared.add(u.first() + "|" + u.second());
      compared.add(u.second() + "|" + u.first());
    }
    int expected = 0;
    Map<String, Comparison> byPrompt = new HashMap<>();
    for (Comparison c : built.comparisons()) {
      assertTrue(byPrompt.put(c.prompt().transcript(), c) == null, "one pair per prompt");
    }
    for (var e : answers.entrySet()) {
      String best = null;
      String worst = null;
      for (String a : e.getValue()) {
        best = best == null || p.reward().get(a) > p.reward().get(best) ? a : best;
        worst = worst == null || p.reward().get(a) < p.reward().get(worst) ? a : worst;
      }
      Comparison c = byPrompt.get(e.getKey());
      if (e.getValue().size() < 3 || compared.contains(best + "|" + worst)) {
        assertEquals(null, c, "nothing built for " + e.getKey());
        continue;
      }
      expected++;
      assertEquals(best, c.first().text());
      assertEquals(worst, c.second().text());
      assertTrue(c.built(), "the two answers come from two pool pairs");
      assertNotEquals(c.first().pair().key(), c.second().pair().key());
    }
    assertEquals(expected, built.comparisons().size());
    assertTrue(expected > 50, "most prompts with three answers build a pair: " + expected);
    for (int i = 0; i < expected; i++) {
      Comparison c = built.comparisons().get(i);
      assertEquals(p.reward().get(c.first().text()), built.best()[i]);
      assertEquals(p.reward().get(c.second().text()), built.worst()[i]);
    }
  }

  @Test
  void goldOfABuiltPairIsDecidedWhereTwoLabelsChainThroughASharedAnswer() {
    Pool p = pool(400, 3);
    List<UnlabeledPair> pool = p.split().pool();
    WestOfN.Built built = WestOfN.build(pool, rewards(pool, p.reward()));
    // Independently, from the labeled pairs themselves: "a beats b" as the file says.
    Set<String> beats = new HashSet<>();
    Map<String, Set<String>> neighbours = new HashMap<>();
    for (PreferencePair pp : p.pairs()) {
      beats.add(pp.chosen() + ">" + pp.rejected());
      neighbours.computeIfAbsent(pp.chosen(), k -> new HashSet<>()).add(pp.rejected());
      neighbours.computeIfAbsent(pp.rejected(), k -> new HashSet<>()).add(pp.chosen());
    }
    int[] outcomes = new int[3]; // right, wrong, undecided
    for (Comparison c : built.comparisons()) {
      String x = c.first().text();
      String y = c.second().text();
      boolean xOverY = false;
      boolean yOverX = false;
      // Through the answers both source pairs hold besides x and y.
      String viaX = c.first().other().text();
      String viaY = c.second().other().text();
      if (viaX.equals(viaY)) {
        xOverY = beats.contains(x + ">" + viaX) && beats.contains(viaX + ">" + y);
        yOverX = beats.contains(y + ">" + viaX) && beats.contains(viaX + ">" + x);
      }
      Boolean expected = xOverY ? Boolean.TRUE : yOverX ? Boolean.FALSE : null;
      assertEquals(expected, c.goldFirstPreferred(p.split().gold()), x + " vs " + y);
      outcomes[expected == null ? 2 : expected ? 0 : 1]++;
      assertTrue(neighbours.get(x).contains(viaX) && neighbours.get(y).contains(viaY));
    }
    assertTrue(
        outcomes[0] > 10 && outcomes[1] > 10 && outcomes[2] > 10,
        "right, wrong and undecided built pairs all occur: " + java.util.Arrays.toString(outcomes));
    // A plain pool pair's gold is its own label.
    UnlabeledPair u = pool.get(0);
    assertEquals(
        p.split().gold().firstPreferred(u), Comparison.of(u).goldFirstPreferred(p.split().gold()));
  }
}
