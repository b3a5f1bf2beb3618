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
 * and resume, with the texts encoded and the pool scored on a Spark cluster; the head is trained
 * and pairs are selected on the driver. Its options join the command as a picocli mixin.
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

  /** Inputs on Hadoop file systems or in Parquet, staged on the driver. */
  private final StagedInputs staged = new StagedInputs();

  /** The run's session, made once: inputs are staged with it, then the learner runs on it. */
  private SparkSession spark;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public java.nio.file.Path stage(String value) throws java.io.IOException {
    return staged.convert(value);
  }

  @Override
  public void start(PrintWriter log) {
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
    return HeadLearner.over(
        new SparkFeatures(spark, encoder, partitions), ser.train(), Progress.quiet());
  }
}
