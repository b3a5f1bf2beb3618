package org.ser4j.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Style;

/**
 * How much a reward model rewards one style (length, markdown): pair accuracy where the chosen
 * answer has more of it and where it has less (pairs with equal amounts are in neither side), the
 * reward's correlation with it over all answers, and within prompts: after subtracting each
 * prompt's mean reward and mean style over its distinct answers, so that what differs between
 * prompts does not count. Less-chosen pairs are the hard case for a style-biased RM (RM-Bench's
 * "hard" split).
 */
public record StyleSplit(
    @JsonProperty("style") String style,
    @JsonProperty("pairs_chosen_more") int chosenMore,
    @JsonProperty("accuracy_chosen_more") Double accuracyChosenMore,
    @JsonProperty("pairs_chosen_less") int chosenLess,
    @JsonProperty("accuracy_chosen_less") Double accuracyChosenLess,
    @JsonProperty("correlation") Double correlation,
    @JsonProperty("within_prompt_correlation") Double withinPromptCorrelation) {
  // Null where undefined (no pairs on a side, a constant column): JSON has no NaN.

  /** Every style's split of {@code pairs} under rewards of their chosen and rejected answers. */
  public static List<StyleSplit> of(
      List<PreferencePair> pairs, double[] chosenRewards, double[] rejectedRewards) {
    return new Table(pairs).splits(chosenRewards, rejectedRewards);
  }

  public static StyleSplit of(
      Style style, List<PreferencePair> pairs, double[] chosenRewards, double[] rejectedRewards) {
    return new Table(pairs).split(style, chosenRewards, rejectedRewards);
  }

  /**
   * What the splits of a fixed set of pairs need apart from the rewards, measured once (a SER run
   * splits its test pairs at every loop): every style of every answer, and which answers are the
   * same answer to the same prompt.
   */
  public static final class Table {
    private final double[][] chosen; // [style ordinal][pair]
    private final double[][] rejected;
    private final List<int[]> groups; // per prompt, first seen first: its distinct answers' sides

    /** Sides are numbered chosen answers 0..n-1, then rejected answers n..2n-1. */
    public Table(List<PreferencePair> pairs) {
      int n = pairs.size();
      Style[] styles = Style.values();
      chosen = new double[styles.length][n];
      rejected = new double[styles.length][n];
      for (Style style : styles) {
        for (int i = 0; i < n; i++) {
          chosen[style.ordinal()][i] = style.of(pairs.get(i).chosen());
          rejected[style.ordinal()][i] = style.of(pairs.get(i).rejected());
        }
      }
      // Distinct answers per prompt, each at the side it is first seen.
      Map<String, Map<String, Integer>> byPrompt = new LinkedHashMap<>();
      for (int side = 0; side < 2 * n; side++) {
        PreferencePair p = pairs.get(side % n);
        byPrompt
            .computeIfAbsent(p.prompt().transcript(), g -> new LinkedHashMap<>())
            .putIfAbsent(side < n ? p.chosen() : p.rejected(), side);
      }
      groups = new ArrayList<>(byPrompt.size());
      for (Map<String, Integer> answers : byPrompt.values()) {
        groups.add(answers.values().stream().mapToInt(Integer::intValue).toArray());
      }
    }

    /** Every style's split under rewards of the chosen and rejected answers. */
    public List<StyleSplit> splits(double[] chosenRewards, double[] rejectedRewards) {
      List<StyleSplit> out = new ArrayList<>();
      for (Style s : Style.values()) {
        out.add(split(s, chosenRewards, rejectedRewards));
      }
      return out;
    }

    StyleSplit split(Style style, double[] rc, double[] rr) {
      double[] vc = chosen[style.ordinal()];
      double[] vr = rejected[style.ordinal()];
      int n = rc.length;
      int[] sides = sides(rc, rr, vc, vr);
      List<double[]> all = new ArrayList<>();
      List<double[]> centered = new ArrayList<>();
      for (int[] answers : groups) {
        List<double[]> group = new ArrayList<>(answers.length);
        for (int side : answers) {
          group.add(
              new double[] {
                side < n ? rc[side] : rr[side - n], side < n ? vc[side] : vr[side - n]
              });
        }
        all.addAll(group);
        if (group.size() < 2) {
          continue;
        }
        double mr = 0;
        double mv = 0;
        for (double[] a : group) {
          mr += a[0] / group.size();
          mv += a[1] / group.size();
        }
        for (double[] a : group) {
          centered.add(new double[] {a[0] - mr, a[1] - mv});
        }
      }
      return new StyleSplit(
          style.label(),
          sides[0],
          sides[0] == 0 ? null : (double) sides[1] / sides[0],
          sides[2],
          sides[2] == 0 ? null : (double) sides[3] / sides[2],
          orNull(pearson(all)),
          orNull(pearson(centered)));
    }
  }

  /**
   * {pairs whose chosen answer has more, of them ranked right, pairs whose chosen has less, of them
   * ranked right}: rewards {@code rc}, {@code rr}, style values {@code vc}, {@code vr}.
   */
  static int[] sides(double[] rc, double[] rr, double[] vc, double[] vr) {
    int[] out = new int[4];
    for (int i = 0; i < rc.length; i++) {
      int right = rc[i] > rr[i] ? 1 : 0;
      if (vc[i] > vr[i]) {
        out[0]++;
        out[1] += right;
      } else if (vc[i] < vr[i]) {
        out[2]++;
        out[3] += right;
      }
    }
    return out;
  }

  private static Double orNull(double x) {
    return Double.isNaN(x) ? null : x;
  }

  /**
   * Pearson correlation of column 0 with column 1 (commons-math); deviations from group means need
   * no other centering, since their overall mean is already zero. NaN when undefined.
   */
  static double pearson(List<double[]> rows) {
    double[] a = rows.stream().mapToDouble(r -> r[0]).toArray();
    double[] b = rows.stream().mapToDouble(r -> r[1]).toArray();
    return LengthBias.correlation(a, b, false);
  }

  /** One line for the console; "-" where undefined. */
  public String line() {
    return String.format(
        java.util.Locale.ROOT,
        "%s: accuracy where the chosen answer has more %s (%d pairs), less %s (%d pairs); reward-%s correlation %s, within prompts %s",
        style,
        format(accuracyChosenMore, "%.4f"),
        chosenMore,
        format(accuracyChosenLess, "%.4f"),
        chosenLess,
        style,
        format(correlation, "%.3f"),
        format(withinPromptCorrelation, "%.3f"));
  }

  private static String format(Double x, String f) {
    return x == null ? "-" : String.format(java.util.Locale.ROOT, f, x);
  }
}
