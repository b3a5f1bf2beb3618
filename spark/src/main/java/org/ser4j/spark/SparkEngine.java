package org.ser4j.spark;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.model.finetune.FineTuneConfig;
import org.ser4j.model.head.HeadLearner;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.ser.LearnerEngine;
import org.ser4j.ser.SerConfig;
import org.ser4j.util.Progress;
import picocli.CommandLine.Option;

/**
 * The learner engine named {@code spark} (found through {@code META-INF/services}): `ser evolve
 * --engine spark`, which `ser-spark evolve` runs, has the core's inputs, settings, run directory
 * and resume, with the texts encoded and the pool scored on a Spark cluster. Your own pool ({@code
 * --unlabeled}) is read, encoded and scored on the executors, which send back only the pairs the
 * loop's rule may pick ({@link ExecutorPool}); with the experiment or {@code --pool-on driver} the
 * driver reads it ({@link SparkFeatures}). The head is trained and the rule picks on the driver.
 * Its options join the command as a picocli mixin.
 */
public final class SparkEngine implements LearnerEngine {
  /** The name `--engine` takes. */
  public static final String NAME = "spark";

  @Option(
      names = "--master",
      paramLabel = "URL",
      defaultValue = "local[*]",
      description =
          "Spark master when not launched by spark-submit (which sets its own): local[N], spark://HOST:PORT, yarn, k8s://... (default: ${DEFAULT-VALUE}).")
  String master;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Partitions of the pool (the unit of work an executor core takes); 0: four per core of the cluster (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description =
          "A Spark setting, as spark-submit's --conf (repeatable): spark.executor.memory=4g, spark.driver.host=..., (default: none).")
  java.util.Map<String, String> conf = new java.util.LinkedHashMap<>();

  @Option(
      names = "--pool-on",
      paramLabel = "WHERE",
      defaultValue = "executors",
      description =
          "With --unlabeled: where the pool is read, encoded, scored and selected from: executors (the driver holds the seed, the test set, the model and the pairs picked, never the pool; JSON Lines, gzip or Parquet on any Hadoop path) or driver (read on the driver, as ser evolve does) (default: ${DEFAULT-VALUE}).")
  String poolOn;

  @Option(
      names = "--driver-fit-max",
      paramLabel = "PAIRS",
      defaultValue = "100000",
      description =
          "With the pool on the executors: a fit with at most this many self-labels runs on the driver (the vectors of its pairs fetched, trained as ser evolve trains); beyond it, the fit runs where the pool is, full-batch (L-BFGS on the Bradley-Terry loss, gradients summed by treeAggregate, the L2 strength chosen on held-out seed pairs), so the driver never holds the picks' vectors (default: ${DEFAULT-VALUE}).")
  int driverFitMax;

  /** Inputs on Hadoop file systems or in Parquet, staged on the driver. */
  private final StagedInputs staged = new StagedInputs();

  /** The run's session, made once: inputs are staged with it, then the learner runs on it. */
  private SparkSession spark;

  /** The pool the executors read (--unlabeled as given), or null: the driver reads it. */
  private String poolSource;

  private boolean skipBad;

  private ExecutorPoolSource executorPool;

  /** Where the engine says what it did (the command's error stream). */
  private PrintWriter log = new PrintWriter(System.err, true);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public java.nio.file.Path stage(String value) throws java.io.IOException {
    return staged.convert(value);
  }

  @Override
  public boolean readsPool(org.ser4j.data.split.DataSpec data) {
    if (!poolOn.equals("executors") && !poolOn.equals("driver")) {
      throw new IllegalArgumentException("--pool-on must be executors or driver, got " + poolOn);
    }
    if (poolOn.equals("driver")) {
      return false;
    }
    poolSource = staged.unstage(data.unlabeled());
    skipBad = data.read().skipBad();
    return true;
  }

  @Override
  public org.ser4j.ser.select.Pool pool(
      org.ser4j.data.split.SerDataset data,
      RewardLearner learner,
      org.ser4j.ser.select.PairSelection rule) {
    return executorPool.pool().pickedBy(rule);
  }

  @Override
  public void start(PrintWriter log) {
    this.log = log;
    SparkSession.Builder builder = SparkSession.builder().appName("ser4j evolve");
    if (System.getProperty("spark.master") == null) { // spark-submit's --master wins
      builder.master(master);
    }
    conf.forEach(builder::config);
    spark = builder.getOrCreate();
    staged.stage(spark, log);
  }

  @Override
  public RewardLearner open(
      EncoderConfig encoder,
      SerConfig ser,
      FineTuneConfig fineTune,
      int heads,
      EncoderRuntime runtime)
      throws java.io.IOException {
    if (fineTune != null) {
      throw new IllegalArgumentException(
          "--finetune runs in one process only (ser evolve); on Spark the encoder is frozen");
    }
    if (poolSource == null) {
      return HeadLearner.over(
          new SparkFeatures(spark, encoder, partitions), ser.train(), Progress.quiet());
    }
    executorPool =
        new ExecutorPoolSource(
            spark,
            encoder,
            partitions,
            poolSource,
            skipBad,
            driverFitMax,
            ser.selection().westOfN(),
            log);
    return HeadLearner.over(executorPool, ser.train(), Progress.quiet());
  }
}
