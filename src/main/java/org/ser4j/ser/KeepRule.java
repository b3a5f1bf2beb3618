package org.ser4j.ser;

import java.util.List;

/**
 * Which loop's RM a run keeps, and when a fall in the judged accuracy stops it: the two decisions
 * every judge ({@link LoopJudge}) feeds with its accuracies.
 */
final class KeepRule {
  private KeepRule() {}

  /**
   * The loop whose RM is kept: the last with {@code keepLast}, else the highest judged accuracy; on
   * ties the later loop, or, with cross-validated decisions, the earlier (a loop must beat the
   * seed-only RM on the seed to replace it). Only the current phase's loops compete ({@link
   * #phaseStart}).
   */
  static int kept(List<LoopReport> loops, SerConfig config) {
    if (config.keepLast()) {
      return loops.size() - 1;
    }
    int best = phaseStart(loops);
    for (int i = best + 1; i < loops.size(); i++) {
      double a = loops.get(i).validationAccuracy();
      double b = loops.get(best).validationAccuracy();
      if (config.crossValidated() ? a > b : !(a < b)) {
        best = i;
      }
    }
    return best;
  }

  /**
   * Whether the last loop's judged accuracy fell below an earlier loop's (a stop); never with
   * {@code keepLast}, nor when nothing judges the loops ({@code judged} false).
   */
  static boolean fell(List<LoopReport> loops, SerConfig config, boolean judged) {
    if (config.keepLast() || !judged) {
      return false;
    }
    double last = loops.get(loops.size() - 1).validationAccuracy();
    return loops.subList(phaseStart(loops), loops.size() - 1).stream()
        .anyMatch(l -> last < l.validationAccuracy());
  }

  /**
   * The first loop of the current phase: the last that retrained after people added labels, else
   * loop 0. Loops before it were judged on a smaller seed, so their accuracies do not compare.
   */
  static int phaseStart(List<LoopReport> loops) {
    for (int i = loops.size() - 1; i > 0; i--) {
      if (loops.get(i).startsPhase()) {
        return i;
      }
    }
    return 0;
  }
}
