package org.ser4j.ser;

import java.io.PrintWriter;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.model.finetune.FineTuneConfig;
import org.ser4j.model.learn.RewardLearner;

/**
 * Where a run's learner runs: this process ({@link #LOCAL}) or another engine (ser4j-spark's
 * cluster), handed to `ser evolve` as a part rather than by subclassing the command. An engine with
 * options of its own is also a picocli mixin of the command it serves.
 */
public interface LearnerEngine {
  /** Readies the engine before the run reads its data (a cluster session, inputs staged on it). */
  default void start(PrintWriter log) throws Exception {}

  /** The learner of a run with these settings; {@code fineTune} null for a frozen encoder. */
  RewardLearner open(
      EncoderConfig encoder,
      SerConfig ser,
      FineTuneConfig fineTune,
      int heads,
      EncoderRuntime runtime)
      throws Exception;

  /** This process: {@link Learners#open}. */
  LearnerEngine LOCAL =
      (encoder, ser, fineTune, heads, runtime) ->
          Learners.open(encoder, ser.train(), fineTune, heads, runtime);
}
