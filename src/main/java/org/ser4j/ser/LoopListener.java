package org.ser4j.ser;

import java.io.IOException;
import java.util.List;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.SelfLabel;

/**
 * Side jobs of a SER run, told what happened (the run store, the console log); the loop's rules
 * never depend on them.
 */
public interface LoopListener {
  /** A run picked up after its loop {@code last}; {@code finished} if it had already stopped. */
  default void resumed(List<LoopReport> loops, boolean finished) throws IOException {}

  /** Loop {@code report.loop()} trained {@code model} on its {@code selected} self-labels. */
  default void loopDone(
      LoopReport report, TrainedModel model, List<SelfLabel> selected, List<LoopReport> loops)
      throws IOException {}

  /** Loop {@code loop} selected too few new pairs to go on. */
  default void tooFewNew(int loop, int selected, int minNew) {}

  /** The run stopped after {@code loops}, keeping loop {@code kept}. */
  default void finished(List<LoopReport> loops, StopReason stop, int kept) throws IOException {}
}
