package org.ser4j.ser;

import java.util.List;
import org.ser4j.model.TrainedModel;

/**
 * The outcome of a SER run: every loop's report, the loop whose RM is kept ({@link KeepRule}), why
 * the run stopped, and the kept RM.
 */
public record SerResult(
    List<LoopReport> loops, int keptLoop, StopReason stopReason, TrainedModel keptModel) {
  public LoopReport seedOnly() {
    return loops.get(0);
  }

  /** The kept loop's report (not always the last loop's). */
  public LoopReport kept() {
    return loops.get(keptLoop);
  }
}
