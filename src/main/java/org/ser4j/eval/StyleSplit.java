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
    List<StyleSplit> out = new ArrayList<>();
    for (Style s : Style.values()) {
      out.add(of(s, pairs, chosenRewards, rejectedRewards));
    }
    return out;
  }

  public static StyleSplit of(
      Style style, List<PreferencePair> pairs, double[] chosenRewards, double[] rejectedRewards) {
    int n = pairs.size();
    double[] vc = new double[n];
    double[] vr = new double[n];
    String[] groups = new String[n];
    for (int i = 0; i < n; i++) {
      vc[i] = style.of(pairs.get(i).chosen());
      vr[i] = style.of(pairs.get(i).rejected());
      groups[i] = pairs.get(i).prompt().transcript();
    }
    List<String> texts = new ArrayList<>(2 * n);
    pairs.forEach(p -> texts.add(p.chosen()));
    pairs.forEach(p -> texts.add(p.rejected()));
    return of(style.label(), chosenRewards, rejectedRewards, vc, vr, groups, texts);
  }

  /**
   * The split from numbers: pair i's rewards and style values, its group (prompt), and the texts of
   * every answer (chosen answers, then rejected ones) that tell which answers are the same.
   */
  static StyleSplit of(
      String label,
      double[] rc,
      double[] rr,
      double[] vc,
      double[] vr,
      String[] groups,
      List<String> texts) {
    int n = rc.length;
    int[] sides = sides(rc, rr, vc, vr);
    int more = sides[0];
    int moreRight = sides[1];
    int less = sides[2];
    int lessRight = sides[3];
    // Distinct answers per prompt, each once with its reward and style value.
    Map<String, Map<String, double[]>> byPrompt = new LinkedHashMap<>();
    for (int i = 0; i < 2 * n; i++) {
      int pair = i % n;
      boolean chosen = i < n;
      byPrompt
          .computeIfAbsent(groups[pair], g -> new LinkedHashMap<>())
          .putIfAbsent(
              texts.get(i),
              new double[] {chosen ? rc[pair] : rr[pair], chosen ? vc[pair] : vr[pair]});
    }
    List<double[]> all = new ArrayList<>();
    List<double[]> centered = new ArrayList<>();
    for (Map<String, double[]> answers : byPrompt.values()) {
      all.addAll(answers.values());
      if (answers.size() < 2) {
        continue;
      }
      double mr = 0;
      double mv = 0;
      for (double[] a : answers.values()) {
        mr += a[0] / answers.size();
        mv += a[1] / answers.size();
      }
      for (double[] a : answers.values()) {
        centered.add(new double[] {a[0] - mr, a[1] - mv});
      }
    }
    return new StyleSplit(
        label,
        more,
        more == 0 ? null : (double) moreRight / more,
        less,
        less == 0 ? null : (double) lessRight / less,
        orNull(pearson(all)),
        orNull(pearson(centered)));
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
