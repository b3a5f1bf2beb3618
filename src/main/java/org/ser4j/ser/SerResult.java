package org.ser4j.ser;

import java.util.List;
import org.ser4j.model.TrainedModel;

/**
 * The outcome of a SER run: every loop's report, the loop whose RM is kept (the best validation
 * accuracy, later loops winning ties, or the last with keep-last), why it stopped, and that RM.
 */
public record SerResult(
    List<LoopReport> loops, int finalLoop, String stopReason, TrainedModel finalModel) {
  public LoopReport seedOnly() {
    return loops.get(0);
  }

  public LoopReport last() {
    return loops.get(finalLoop);
  }
}
