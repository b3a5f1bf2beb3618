package org.ser4j.ser;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.model.learn.SelfLabel;

/** A SER run's lines on the console: one per loop, the resume and the stop. */
final class LoopLog implements LoopListener {
  private final PrintWriter log;
  private final RunStore store;
  private final RewardLearner learner;

  /**
   * @param store the run's directory, named on resume (null: none)
   */
  LoopLog(PrintWriter log, RunStore store, RewardLearner learner) {
    this.log = log;
    this.store = store;
    this.learner = learner;
  }

  @Override
  public void resumed(List<LoopReport> loops, boolean finished) {
    int last = loops.size() - 1;
    log.printf(
        finished ? "%2$s already finished after loop %1$d%n" : "resuming after loop %d of %s%n",
        last,
        store.dir());
    if (!finished) {
      line(loops.get(last));
    }
  }

  @Override
  public void loopDone(
      LoopReport report, TrainedModel model, List<SelfLabel> selected, List<LoopReport> loops) {
    line(report);
  }

  @Override
  public void tooFewNew(int loop, int selected, int minNew) {
    log.printf("loop %d: %d new confident pairs, fewer than %d: stop%n", loop, selected, minNew);
  }

  @Override
  public void finished(List<LoopReport> loops, StopReason stop, int kept) {
    String cache = learner.cacheSummary();
    if (cache != null) {
      log.println(cache);
    }
  }

  private void line(LoopReport r) {
    log.printf(
        Locale.ROOT,
        "loop %d [%s, rule %s]: selected %d%s (total %d, %s), pool left %d, train pairs %d, validation %.4f, test %s, %.1fs%n",
        r.loop(),
        r.status(),
        r.rule(),
        r.selected(),
        r.diagnostics() == null || r.diagnostics().builtPairs() == null
            ? ""
            : " of which " + r.diagnostics().builtPairs() + " built",
        r.selectedTotal(),
        precision(r),
        r.poolRemaining(),
        r.trainPairs(),
        r.validationAccuracy(),
        r.testAccuracy() == null ? "-" : String.format(Locale.ROOT, "%.4f", r.testAccuracy()),
        r.seconds());
    if (r.labelsAdded() != null) {
      log.printf(
          "  %d labels added by people in all; %d earlier self-label%s they contradict dropped%n",
          r.labelsAdded(), r.selfLabelsContradicted(), r.selfLabelsContradicted() == 1 ? "" : "s");
    }
    log.flush();
  }

  /** Gold precision where the pool's labels are known, else the RM's expected precision. */
  private static String precision(LoopReport r) {
    if (r.selfLabelPrecision() != null) {
      return String.format(Locale.ROOT, "precision %.3f", r.selfLabelPrecision());
    }
    if (r.expectedPrecision() != null) {
      return String.format(Locale.ROOT, "expected precision %.3f", r.expectedPrecision());
    }
    return "precision -";
  }
}
