package org.ser4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ser4j.data.split.DataSpec;
import org.ser4j.data.split.SerDataset;
import org.ser4j.eval.PairMetrics;
import org.ser4j.eval.Plots;
import org.ser4j.model.ModelStore;
import org.ser4j.model.Provenance;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.finetune.FineTuneConfig;
import org.ser4j.model.finetune.FineTunedModel;
import org.ser4j.model.head.TrainConfig;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.ser.Training;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `ser train`: a reward model on the labeled fraction of the training pairs. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train a reward model on the labeled pairs: a frozen pretrained encoder + trained head, or with --finetune an encoder that learns too; write it to --out with metrics.json and a learning-curve PNG.")
public final class TrainCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin SettingsFile settings;

  @Mixin DataSpecMixin data;

  @Option(
      names = "--labeled-fraction",
      paramLabel = "F",
      defaultValue = "1.0",
      description = "Fraction of the training pairs to train on (default: ${DEFAULT-VALUE}).")
  double labeledFraction;

  @Mixin EncoderOptions encoder;

  @Mixin TrainOptions training;

  @Mixin FineTuneOptions finetune;

  @Option(
      names = "--no-onnx",
      description =
          "With --finetune, do not write model.onnx (the exported graph that ser eval, score, best-of-n and serve run through ONNX Runtime, about 2x DJL's speed); DJL then scores (default: ${DEFAULT-VALUE}).")
  boolean noOnnx;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Model directory to write.")
  Path out;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    DataSpec dataSpec = data.toSpec(labeledFraction);
    SerDataset dataset = SerDataset.load(dataSpec);
    log.printf(
        "data: %d labeled pairs for training, %d test pairs (%s)%n",
        dataset.labeled().size(), dataset.test().size(), dataset.counts().trainSkipped().summary());
    log.flush();
    TrainConfig head = training.toConfig(data.seed);
    FineTuneConfig fineTune = finetune.toConfig(head, head.validationFraction(), data.seed, false);
    org.ser4j.ser.EncoderSearch.Choice choice =
        encoder.choose(fineTune != null, training, dataset.labeled(), head, data.seed, log);
    Map<String, Object> settings = new java.util.LinkedHashMap<>();
    settings.put("train", fineTune == null ? head : fineTune);
    if (choice.searched()) {
      settings.put("encoder_choice", choice.toJson());
    }
    try (RewardLearner learner =
        org.ser4j.ser.Learners.open(
            choice.chosen(), head, fineTune, finetune.heads, encoder.runtime.toRuntime())) {
      Training.Result trained =
          Training.run(
              learner,
              dataset,
              head.validationFraction(),
              data.seed,
              Provenance.forRun("train", dataSpec, dataset.labeled(), settings));
      TrainedModel model = trained.model();
      RewardLearner.Fit fit = trained.fit();
      PairMetrics test = PairMetrics.of(trained.test().chosen(), trained.test().rejected());
      double loadSeconds = trained.loadSeconds();
      double trainSeconds = trained.trainSeconds();
      model.save(out);
      SettingsFile.write(spec, out);
      if (model instanceof FineTunedModel ft && !noOnnx) {
        ft.exportOnnx(out);
      }

      ObjectNode metrics = Json.PRETTY.createObjectNode();
      metrics.put("finetune", learner.finetune());
      metrics.put("encoder", learner.encoder().name());
      if (choice.searched()) {
        metrics.set("encoder_choice", choice.toJson());
      }
      metrics.put("test_accuracy", test.accuracy());
      metrics.put("test_ece", test.ece());
      metrics.put("test_mean_margin", test.meanMargin());
      metrics.put("train_pairs", dataset.labeled().size()); // validation_pairs of them held out
      metrics.put("test_pairs", dataset.test().size());
      metrics.put("validation_pairs", fit.validationPairs());
      metrics.put("validation_accuracy", fit.best().validationAccuracy());
      metrics.put("best_epoch", fit.bestEpoch());
      metrics.put("epochs_run", fit.history().size());
      metrics.put("load_seconds", loadSeconds);
      metrics.put("train_seconds", trainSeconds);
      fit.details().forEach(metrics::putPOJO);
      java.util.List<org.ser4j.eval.StyleSplit> splits =
          dataset.test().isEmpty()
              ? java.util.List.of()
              : org.ser4j.eval.StyleSplit.of(
                  dataset.test(), trained.test().chosen(), trained.test().rejected());
      if (!splits.isEmpty()) {
        metrics.putPOJO("style_splits", splits);
      }
      metrics.putPOJO("history", fit.history());
      AtomicFiles.writeString(
          out.resolve("metrics.json"), Json.PRETTY.writeValueAsString(metrics) + "\n");
      writeLearningCurve(fit, model.describe(), out.resolve("learning-curve.png"));

      log.printf(
          Locale.ROOT,
          "test accuracy %.4f (%d pairs), ECE %.4f, best epoch %d of %d; load %.1fs, train %.1fs (%s)%n",
          test.accuracy(),
          test.pairs(),
          test.ece(),
          fit.bestEpoch(),
          fit.history().size(),
          loadSeconds,
          trainSeconds,
          model.describe());
      for (org.ser4j.eval.StyleSplit split : splits) {
        log.println("test " + split.line());
      }
      if (fit.details().get("debias") instanceof org.ser4j.model.head.StyleFit style) {
        log.println(style.line());
      }
      if (learner.cacheSummary() != null) {
        log.println(learner.cacheSummary());
      }
      log.println(
          "wrote "
              + out
              + " ("
              + ModelStore.CONFIG
              + ", "
              + ModelStore.WEIGHTS
              + ", metrics.json, learning-curve.png)");
      log.flush();
    }
    return 0;
  }

  static void writeLearningCurve(RewardLearner.Fit fit, String what, Path png)
      throws java.io.IOException {
    int n = fit.history().size();
    double[] x = new double[n];
    double[] train = new double[n];
    double[] val = new double[n];
    for (int i = 0; i < n; i++) {
      org.ser4j.model.Epoch e = fit.history().get(i);
      x[i] = e.epoch();
      train[i] = e.trainLoss();
      val[i] = e.validationLoss();
    }
    Map<String, double[]> series = new LinkedHashMap<>();
    series.put("training loss", train);
    series.put("validation loss", val);
    Plots.lines("Learning curve (" + what + ")", "epoch", "loss", x, series, png);
  }
}
