package org.ser4j.spark;

import org.apache.spark.sql.SparkSession;
import org.ser4j.cli.EvolveCommand;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.model.finetune.FineTuneConfig;
import org.ser4j.ser.HeadLearner;
import org.ser4j.ser.RewardLearner;
import org.ser4j.ser.SerConfig;
import org.ser4j.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `ser-spark evolve`: `ser evolve` (same inputs, settings, run directory, resume) with the texts
 * encoded and the pool scored on a Spark cluster; only the learner differs.
 */
@Command(
    name = "evolve",
    mixinStandardHelpOptions = true,
    description =
        "ser evolve on Apache Spark: the texts are encoded and the pool is scored on the executors; the head is trained and pairs are selected on the driver. Same options, run directory and resume as ser evolve.")
public final class SparkEvolveCommand extends EvolveCommand {
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

  /**
   * Inputs on Hadoop file systems or in Parquet, staged on the driver (set by {@link SparkCli}).
   */
  StagedInputs staged = new StagedInputs();

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec sparkSpec;

  /** The run's session, made once: inputs are staged with it, then the learner runs on it. */
  private SparkSession spark;

  @Override
  public Integer call() throws Exception {
    SparkSession.Builder builder = SparkSession.builder().appName("ser4j evolve");
    if (System.getProperty("spark.master") == null) { // spark-submit's --master wins
      builder.master(master);
    }
    conf.forEach(builder::config);
    spark = builder.getOrCreate();
    staged.stage(spark, sparkSpec.commandLine().getErr());
    return super.call();
  }

  @Override
  protected RewardLearner openLearner(
      EncoderConfig encoderConfig, SerConfig serConfig, FineTuneConfig fineTune, int heads)
      throws Exception {
    if (fineTune != null) {
      throw new IllegalArgumentException(
          "--finetune runs in one process only (ser evolve); on Spark the encoder is frozen");
    }
    return HeadLearner.over(
        new SparkFeatures(spark, encoderConfig, partitions), serConfig.train(), Progress.quiet());
  }
}
