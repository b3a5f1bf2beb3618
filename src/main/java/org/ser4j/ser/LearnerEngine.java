package org.ser4j.ser;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.model.finetune.FineTuneConfig;
import org.ser4j.model.learn.RewardLearner;

/**
 * Where a run's learner runs: this process ({@link #LOCAL}) or another engine (ser4j-spark's
 * cluster). Engines are found by name ({@link LearnerEngines}, a {@link java.util.ServiceLoader}
 * lookup, as model formats are), and `ser evolve --engine NAME` picks one. An engine with options
 * of its own carries picocli {@code @Option} fields; `ser evolve` adds them as a mixin.
 */
public interface LearnerEngine {
  /** The name `ser evolve --engine` takes. */
  String name();

  /** Readies the engine before the run reads its data (a cluster session, inputs staged on it). */
  default void start(PrintWriter log) throws Exception {}

  /**
   * The local file a path option's {@code value} is read from when this engine must fetch it first
   * (a Hadoop URI, Parquet), or null when it is an ordinary local path this engine leaves alone.
   */
  default Path stage(String value) throws java.io.IOException {
    return null;
  }

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
      new LearnerEngine() {
        @Override
        public String name() {
          return "local";
        }

        @Override
        public RewardLearner open(
            EncoderConfig encoder,
            SerConfig ser,
            FineTuneConfig fineTune,
            int heads,
            EncoderRuntime runtime)
            throws Exception {
          return Learners.open(encoder, ser.train(), fineTune, heads, runtime);
        }
      };
}
