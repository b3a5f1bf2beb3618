package org.ser4j.ser.select;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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

  /**
   * For each of {@code labels}, whether its chosen answer is the longer one, read off its texts.
   */
  public static boolean[] chosenLonger(List<SelfLabel> labels) {
    boolean[] out = new boolean[labels.size()];
    for (int i = 0; i < out.length; i++) {
      SelfLabel s = labels.get(i);
      out[i] = chosenLonger(s.chosen(), s.rejected());
    }
    return out;
  }

  public static double longerShare(List<SelfLabel> labels) {
    return longerShare(chosenLonger(labels));
  }

  /** The share of true in {@code longer} (one per self-label: its chosen answer is the longer). */
  public static double longerShare(boolean[] longer) {
    if (longer.length == 0) {
      return Double.NaN;
    }
    int n = 0;
    for (boolean b : longer) {
      n += b ? 1 : 0;
    }
    return (double) n / longer.length;
  }

  /** {@code selected} with its longer-chosen share at most {@code target} away; pool order kept. */
  public static List<SelfLabel> match(List<SelfLabel> selected, double target) {
    return match(selected, chosenLonger(selected), target);
  }

  /**
   * As {@link #match(List, double)}, with whether each selected pair's chosen answer is the longer
   * one given ({@code longer}), as a pool that keeps the texts elsewhere tells it.
   */
  public static List<SelfLabel> match(List<SelfLabel> selected, boolean[] longer, double target) {
    int n = selected.size();
    List<Integer> longerAt = new ArrayList<>();
    List<Integer> otherAt = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      (longer[i] ? longerAt : otherAt).add(i);
    }
    int drop;
    List<Integer> from;
    if ((double) longerAt.size() / n > target) {
      // (L - k) / (n - k) <= target
      drop = (int) Math.ceil((longerAt.size() - target * n) / (1 - target) - 1e-9);
      from = longerAt;
    } else if (target > 0 && (double) longerAt.size() / n < target) {
      // L / (n - k) >= target
      drop = (int) Math.ceil(n - longerAt.size() / target - 1e-9);
      from = otherAt;
    } else {
      return selected;
    }
    drop = Math.max(0, Math.min(drop, from.size()));
    boolean[] dropped = new boolean[n];
    from.stream()
        .sorted(Comparator.comparingDouble(i -> selected.get(i).confidence()))
        .limit(drop)
        .forEach(i -> dropped[i] = true);
    List<SelfLabel> out = new ArrayList<>(n - drop);
    for (int i = 0; i < n; i++) {
      if (!dropped[i]) {
        out.add(selected.get(i));
      }
    }
    return out;
  }
}
