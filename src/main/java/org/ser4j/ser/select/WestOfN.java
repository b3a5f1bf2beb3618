package org.ser4j.ser.select;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ser4j.data.Prompt;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.model.PairRewards;
import org.ser4j.model.learn.Comparison;

/**
 * Pairs built, not only filtered (West-of-N, Pace et al. 2024): where the pool holds three or more
 * distinct answers to one prompt, the RM's best against its worst. Such a pair spans the widest
 * reward gap of the prompt, and it compares two answers no pool pair compares; where a pool pair
 * already holds both answers, the plain pair covers it and nothing is built.
 */
public final class WestOfN {
  private WestOfN() {}

  /** Built comparisons (best answer first) with the rewards of their two answers. */
  record Built(List<Comparison> comparisons, double[] best, double[] worst) {}

  /**
   * For each prompt of {@code pairs} (in order of first appearance) with at least three distinct
   * answers: the best against the worst under {@code rewards} (first answers as chosen), unless a
   * pool pair holds both; ties go to the answer seen first.
   */
  static Built build(List<UnlabeledPair> pairs, PairRewards rewards) {
    List<Comparison> out = new ArrayList<>();
    List<Double> best = new ArrayList<>();
    List<Double> worst = new ArrayList<>();
    for (List<Integer> group : Prompt.groups(pairs, UnlabeledPair::prompt)) {
      Map<String, Comparison.Answer> answers = new LinkedHashMap<>();
      Map<String, Double> reward = new LinkedHashMap<>();
      Set<String> compared = new HashSet<>();
      for (int i : group) {
        UnlabeledPair p = pairs.get(i);
        answers.putIfAbsent(p.first(), new Comparison.Answer(p, true));
        answers.putIfAbsent(p.second(), new Comparison.Answer(p, false));
        reward.putIfAbsent(p.first(), rewards.chosen()[i]);
        reward.putIfAbsent(p.second(), rewards.rejected()[i]);
        compared.add(p.first() + '\u0000' + p.second());
        compared.add(p.second() + '\u0000' + p.first());
      }
      if (answers.size() < 3) {
        continue;
      }
      String hi = null;
      String lo = null;
      for (String text : answers.keySet()) {
        if (hi == null || reward.get(text) > reward.get(hi)) {
          hi = text;
        }
        if (lo == null || reward.get(text) < reward.get(lo)) {
          lo = text;
        }
      }
      if (!hi.equals(lo) && !compared.contains(hi + '\u0000' + lo)) {
        out.add(new Comparison(answers.get(hi), answers.get(lo)));
        best.add(reward.get(hi));
        worst.add(reward.get(lo));
      }
    }
    return new Built(
        out,
        best.stream().mapToDouble(Double::doubleValue).toArray(),
        worst.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
