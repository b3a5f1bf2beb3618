package org.ser4j.label;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the annotators' labels say about the annotators: labels per person, how often two people who
 * labeled the same pair agree (percent, and Cohen's kappa for each two people with pairs in common,
 * averaged over those couples: Light's kappa, Cohen's own for two annotators), and position bias
 * (how often the answer shown on the left was picked, with a 95% Wilson interval). Categories are
 * a, b and tie; skips are not labels.
 */
public final class Agreement {
  private Agreement() {}

  /** One annotator's counts. */
  public record Person(int labels, int a, int b, int tie, int skip) {}

  /** Two annotators on the pairs both labeled. */
  public record Couple(String first, String second, int shared, double agreement, Double kappa) {}

  /**
   * @param comparisons two labels on one pair by two people, over all pairs
   * @param leftShare of the a/b labels, the share that picked the left answer (null without any)
   * @param kappa the mean of the couples' kappas where defined (null when none is)
   */
  public record Stats(
      Map<String, Person> people,
      int pairsLabeled,
      int pairsWithSeveral,
      int comparisons,
      Double percentAgreement,
      Double kappa,
      List<Couple> couples,
      int decisive,
      Double leftShare,
      double[] leftInterval,
      int disagreements) {}

  /** How pairs the annotators disagree on are resolved. */
  public enum Resolve {
    /** The answer most of the pair's labels gave; a pair whose top answers tie is left out. */
    MAJORITY,
    /** Only pairs on which every label agrees. */
    DROP
  }

  public static Stats of(List<Annotation> annotations) {
    Map<String, int[]> counts = new TreeMap<>();
    Map<String, Map<String, Choice>> byPair = new LinkedHashMap<>();
    int decisive = 0;
    int left = 0;
    for (Annotation a : annotations) {
      int[] c = counts.computeIfAbsent(a.annotator(), k -> new int[4]);
      c[a.choice().ordinal()]++;
      if (a.choice().isLabel()) {
        byPair.computeIfAbsent(a.id(), k -> new TreeMap<>()).put(a.annotator(), a.choice());
      }
      Boolean l = a.pickedLeft();
      if (l != null) {
        decisive++;
        left += l ? 1 : 0;
      }
    }
    Map<String, Person> people = new LinkedHashMap<>();
    counts.forEach(
        (name, c) -> people.put(name, new Person(c[0] + c[1] + c[2], c[0], c[1], c[2], c[3])));
    // Every two people on a pair: one comparison; kept per couple for Cohen's kappa.
    Map<String, List<Choice[]>> perCouple = new TreeMap<>();
    int several = 0;
    int comparisons = 0;
    int agree = 0;
    int disagreements = 0;
    for (Map<String, Choice> labels : byPair.values()) {
      if (labels.size() < 2) {
        continue;
      }
      several++;
      if (labels.values().stream().distinct().count() > 1) {
        disagreements++;
      }
      List<Map.Entry<String, Choice>> e = new ArrayList<>(labels.entrySet());
      for (int i = 0; i < e.size(); i++) {
        for (int j = i + 1; j < e.size(); j++) {
          comparisons++;
          agree += e.get(i).getValue() == e.get(j).getValue() ? 1 : 0;
          perCouple
              .computeIfAbsent(
                  e.get(i).getKey() + '\u0000' + e.get(j).getKey(), k -> new ArrayList<>())
              .add(new Choice[] {e.get(i).getValue(), e.get(j).getValue()});
        }
      }
    }
    List<Couple> couples = new ArrayList<>();
    double kappaSum = 0;
    int kappas = 0;
    for (Map.Entry<String, List<Choice[]>> c : perCouple.entrySet()) {
      String[] names = c.getKey().split("\u0000", 2);
      List<Choice[]> shared = c.getValue();
      Double k = cohensKappa(shared);
      int same = 0;
      for (Choice[] s : shared) {
        same += s[0] == s[1] ? 1 : 0;
      }
      couples.add(new Couple(names[0], names[1], shared.size(), (double) same / shared.size(), k));
      if (k != null) {
        kappaSum += k;
        kappas++;
      }
    }
    return new Stats(
        people,
        byPair.size(),
        several,
        comparisons,
        comparisons == 0 ? null : (double) agree / comparisons,
        kappas == 0 ? null : kappaSum / kappas,
        couples,
        decisive,
        decisive == 0 ? null : (double) left / decisive,
        decisive == 0 ? null : wilson(left, decisive),
        disagreements);
  }

  /**
   * Cohen's kappa of two raters' labels on the same items, (p_o - p_e) / (1 - p_e); null when
   * chance agreement is certain (both gave one and the same category throughout).
   */
  public static Double cohensKappa(List<Choice[]> items) {
    int n = items.size();
    if (n == 0) {
      return null;
    }
    Map<Choice, Integer> first = new EnumMap<>(Choice.class);
    Map<Choice, Integer> second = new EnumMap<>(Choice.class);
    int same = 0;
    for (Choice[] s : items) {
      first.merge(s[0], 1, Integer::sum);
      second.merge(s[1], 1, Integer::sum);
      same += s[0] == s[1] ? 1 : 0;
    }
    double po = (double) same / n;
    double pe = 0;
    for (Choice c : Choice.values()) {
      pe += (double) first.getOrDefault(c, 0) / n * second.getOrDefault(c, 0) / n;
    }
    return pe >= 1 ? null : (po - pe) / (1 - pe);
  }

  /** Each pair's labels counted by answer (skips left out), pairs in the order first labeled. */
  static Map<String, Map<Choice, Integer>> votes(List<Annotation> annotations) {
    Map<String, Map<Choice, Integer>> votes = new LinkedHashMap<>();
    for (Annotation a : annotations) {
      if (a.choice().isLabel()) {
        votes
            .computeIfAbsent(a.id(), k -> new EnumMap<>(Choice.class))
            .merge(a.choice(), 1, Integer::sum);
      }
    }
    return votes;
  }

  /** The 95% Wilson score interval of {@code k} successes in {@code n}. */
  static double[] wilson(int k, int n) {
    double z = 1.959963984540054;
    double p = (double) k / n;
    double d = 1 + z * z / n;
    double centre = (p + z * z / (2.0 * n)) / d;
    double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / d;
    return new double[] {centre - half, centre + half};
  }

  /**
   * One label per pair, as `ser evolve --add-labels` should read them: the pairs' labels resolved
   * by {@code rule}, in queue order; a pair with no label (only skips) is left out.
   */
  public static Map<String, Choice> resolve(List<Annotation> annotations, Resolve rule) {
    Map<String, Map<Choice, Integer>> votes = votes(annotations);
    Map<String, Choice> out = new LinkedHashMap<>();
    votes.forEach(
        (id, v) -> {
          if (v.size() == 1) {
            out.put(id, v.keySet().iterator().next());
          } else if (rule == Resolve.MAJORITY) {
            int top = v.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
            List<Choice> best =
                v.entrySet().stream()
                    .filter(e -> e.getValue() == top)
                    .map(Map.Entry::getKey)
                    .toList();
            if (best.size() == 1) {
              out.put(id, best.get(0));
            }
          }
        });
    return out;
  }
}
