package org.ser4j.ser.select;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ser4j.model.learn.SelfLabel;

/**
 * Bias control for self-labels: a confident RM often prefers the longer answer, and a head trained
 * on its picks learns length. Keeps the selected pairs' share of "chosen is the longer answer" at
 * the labeled seed's share by dropping the least confident pairs of the over-represented kind.
 */
public final class LengthBalance {
  private LengthBalance() {}

  public static boolean chosenLonger(String chosen, String rejected) {
    return chosen.length() > rejected.length();
  }

  /** The share of the labeled pairs at {@code positions} whose chosen answer is the longer one. */
  public static double chosenLongerShare(
      List<org.ser4j.data.PreferencePair> labeled, int[] positions) {
    int longer = 0;
    for (int i : positions) {
      var p = labeled.get(i);
      longer += chosenLonger(p.chosen(), p.rejected()) ? 1 : 0;
    }
    return positions.length == 0 ? Double.NaN : (double) longer / positions.length;
  }

  public static double longerShare(List<SelfLabel> labels) {
    if (labels.isEmpty()) {
      return Double.NaN;
    }
    return (double) labels.stream().filter(s -> chosenLonger(s.chosen(), s.rejected())).count()
        / labels.size();
  }

  /** {@code selected} with its longer-chosen share at most {@code target} away; pool order kept. */
  public static List<SelfLabel> match(List<SelfLabel> selected, double target) {
    int n = selected.size();
    List<SelfLabel> longer = new ArrayList<>();
    List<SelfLabel> other = new ArrayList<>();
    for (SelfLabel s : selected) {
      (chosenLonger(s.chosen(), s.rejected()) ? longer : other).add(s);
    }
    int drop;
    List<SelfLabel> from;
    if ((double) longer.size() / n > target) {
      // (L - k) / (n - k) <= target
      drop = (int) Math.ceil((longer.size() - target * n) / (1 - target) - 1e-9);
      from = longer;
    } else if (target > 0 && (double) longer.size() / n < target) {
      // L / (n - k) >= target
      drop = (int) Math.ceil(n - longer.size() / target - 1e-9);
      from = other;
    } else {
      return selected;
    }
    drop = Math.max(0, Math.min(drop, from.size()));
    Set<SelfLabel> dropped = new HashSet<>();
    from.stream()
        .sorted(Comparator.comparingDouble(SelfLabel::confidence))
        .limit(drop)
        .forEach(dropped::add);
    List<SelfLabel> out = new ArrayList<>(n - drop);
    for (SelfLabel s : selected) {
      if (!dropped.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }
}
