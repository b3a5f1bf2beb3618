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

  /**
   * Whether this engine reads the unlabeled pool of {@code data} itself (ser4j-spark: on the
   * executors, never brought to this process). Asked before {@link #start}; when true, this process
   * reads only the labeled and test files, and {@link #pool} gives the loop its pool.
   */
  default boolean readsPool(org.ser4j.data.split.DataSpec data) {
    return false;
  }

  /** The pool this engine read ({@link #readsPool}), once {@code learner} has loaded the run. */
  default org.ser4j.ser.select.Pool pool(
      org.ser4j.data.split.SerDataset data,
      RewardLearner learner,
      org.ser4j.ser.select.PairSelection rule)
      throws java.io.IOException {
    throw new UnsupportedOperationException(name() + " does not read the pool");
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
