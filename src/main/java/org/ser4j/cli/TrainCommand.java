package org.ser4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.HashMap;
import org.ser4j.data.SerDataset;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderSpec;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.encoder.SequenceTokenizer;
import org.ser4j.encoder.TokenizedInput;
import org.ser4j.model.BertRewardNet;
import org.ser4j.model.FineTuneConfig;
import org.ser4j.model.FineTunedModel;
import org.ser4j.model.FineTuner;
import org.ser4j.model.SequencePairs;
import org.ser4j.util.Progress;
import org.ser4j.encoder.Featurizer;
import org.ser4j.eval.PairMetrics;
import org.ser4j.eval.Plots;
import org.ser4j.model.ModelStore;
import org.ser4j.model.PairEncoding;
import org.ser4j.model.PairFeatures;
import org.ser4j.model.RewardModel;
import org.ser4j.model.RewardTrainer;
import org.ser4j.model.TrainConfig;
import org.ser4j.model.TrainedHead;
import org.ser4j.util.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `ser train`: a reward model on the labeled fraction of the training pairs. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train a reward model on the labeled pairs: a frozen pretrained encoder + trained head, or with --finetune an encoder that learns too; write it to --out with metrics.json and a learning-curve PNG.")
public final class TrainCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DataSpecMixin data;

  @Option(names = "--labeled-fraction", paramLabel = "F", defaultValue = "1.0",
      description = "Fraction of the training pairs to train on (default: ${DEFAULT-VALUE}).")
  double labeledFraction;

  @Mixin EncoderOptions encoder;

  @Mixin TrainOptions training;

  @Mixin FineTuneOptions finetune;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model directory to write.")
  Path out;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    SerDataset dataset = SerDataset.load(data.toSpec(labeledFraction));
    log.printf("data: %d labeled pairs for training, %d test pairs (%s)%n", dataset.labeled().size(), dataset.test().size(), dataset.counts().trainSkipped().summary());
    log.flush();
    TrainConfig config = training.toConfig(data.seed);
    if (finetune.enabled()) {
      return trainFineTuned(log, dataset, config);
    }
    try (Featurizer featurizer = encoder.open()) {
      long t0 = System.nanoTime();
      List<PairFeatures> f = PairEncoding.features(featurizer, dataset.labeled(), dataset.test());
      double encodeSeconds = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      TrainedHead trained = new RewardTrainer(config, encoder.runtime.progress()).train(f.get(0));
      double trainSeconds = (System.nanoTime() - t1) / 1e9;

      Map<String, Object> provenance = provenance(dataset, config, trained.bestEpoch());
      RewardModel model = new RewardModel(featurizer.config(), trained.normalizer(), trained.head(), provenance);

      double[][] r = PairEncoding.rewards(model, f.get(1));
      PairMetrics test = PairMetrics.of(r[0], r[1]);
      ModelStore.save(model, out);

      ObjectNode metrics = Json.MAPPER.createObjectNode();
      metrics.put("test_accuracy", test.accuracy());
      metrics.put("test_ece", test.ece());
      metrics.put("test_mean_margin", test.meanMargin());
      metrics.put("train_pairs", dataset.labeled().size());
      metrics.put("test_pairs", dataset.test().size());
      metrics.put("validation_pairs", trained.validationPairs());
      metrics.put("validation_accuracy", trained.best().validationAccuracy());
      metrics.put("best_epoch", trained.bestEpoch());
      metrics.put("epochs_run", trained.history().size());
      metrics.put("encode_seconds", encodeSeconds);
      metrics.put("train_seconds", trainSeconds);
      metrics.put("encoder", featurizer.config().name());
      metrics.put("cache_entries", featurizer.cache().size());
      metrics.put("cache_hits", featurizer.cache().hits());
      metrics.put("cache_misses", featurizer.cache().misses());
      metrics.putPOJO("history", trained.history());
      AtomicFiles.writeString(out.resolve("metrics.json"), Json.MAPPER.writeValueAsString(metrics) + "\n");
      writeLearningCurve(trained, out.resolve("learning-curve.png"));

      log.printf(Locale.ROOT, "test accuracy %.4f (%d pairs), ECE %.4f, best epoch %d of %d; encode %.1fs, train %.1fs%n",
          test.accuracy(), test.pairs(), test.ece(), trained.bestEpoch(), trained.history().size(), encodeSeconds, trainSeconds);
      log.println(featurizer.cache().summary());
      log.println("wrote " + out + " (" + ModelStore.CONFIG + ", " + ModelStore.WEIGHTS + ", metrics.json, learning-curve.png)");
      log.flush();
    }
    return 0;
  }

  /** Where a model came from: data (with a fingerprint), fraction, seed, training settings. */
  private Map<String, Object> provenance(SerDataset dataset, Object trainConfig, int bestEpoch) {
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("created", Instant.now().toString());
    provenance.put("command", "train");
    provenance.put("train_file", data.train.toString());
    provenance.put("train_data_fingerprint", PairEncoding.fingerprint(dataset.labeled()));
    provenance.put("train_pairs", dataset.labeled().size());
    provenance.put("labeled_fraction", labeledFraction);
    provenance.put("seed", data.seed);
    provenance.put("train_config", trainConfig);
    provenance.put("best_epoch", bestEpoch);
    return provenance;
  }

  /** The --finetune path: the encoder learns too; writes a fine-tuned model directory. */
  private int trainFineTuned(PrintWriter log, SerDataset dataset, TrainConfig head) throws Exception {
    FineTuneConfig config = finetune.toConfig(head.loss(), head.weightDecay(), head.validationFraction(), data.seed);
    EncoderConfig enc = encoder.toConfig(true);
    enc = enc.withFingerprint(EncoderSpec.fingerprint(enc.model()));
    Progress progress = encoder.runtime.progress();
    try (SequenceTokenizer tokenizer = SequenceTokenizer.open(enc.tokenizer(), enc.maxLength());
        BertRewardNet net = BertRewardNet.pretrained(enc.model(), finetune.heads, config)) {
      net.cacheLowerLayersUnder(encoder.runtime.cacheRoot(), enc);
      Map<ResponseInput, TokenizedInput> memo = new HashMap<>();
      SequencePairs labeled = SequencePairs.tokenize(dataset.labeled(), tokenizer, enc.strategy(), memo);
      SequencePairs test = SequencePairs.tokenize(dataset.test(), tokenizer, enc.strategy(), memo);
      SequencePairs[] split = labeled.split(config.validationFraction(), config.seed());
      long t0 = System.nanoTime();
      FineTuner.Result result = new FineTuner(config, progress).train(net, split[0], split[1]);
      double trainSeconds = (System.nanoTime() - t0) / 1e9;
      double[] r = net.score(test.all(), true, progress);
      PairMetrics metrics = PairMetrics.of(java.util.Arrays.copyOfRange(r, 0, test.size()), java.util.Arrays.copyOfRange(r, test.size(), r.length));

      Map<String, Object> provenance = provenance(dataset, config, result.bestEpoch());
      ModelStore.save(FineTunedModel.of(net, enc, finetune.heads, config, provenance), out);

      ObjectNode json = Json.MAPPER.createObjectNode();
      json.put("finetune", config.mode().cliName());
      json.put("test_accuracy", metrics.accuracy());
      json.put("test_ece", metrics.ece());
      json.put("test_mean_margin", metrics.meanMargin());
      json.put("train_pairs", split[0].size());
      json.put("test_pairs", test.size());
      json.put("validation_pairs", split[1].size());
      json.put("validation_accuracy", result.best().validationAccuracy());
      json.put("best_epoch", result.bestEpoch());
      json.put("epochs_run", result.history().size());
      json.put("optimizer_steps", result.steps());
      json.put("skipped_steps", result.skippedSteps());
      json.put("train_seconds", trainSeconds);
      json.put("train_sequences_per_second", result.history().stream().mapToDouble(FineTuner.Epoch::sequencesPerSecond).average().orElse(0));
      json.put("encoder", enc.name());
      json.put("max_length", enc.maxLength());
      json.putPOJO("history", result.history());
      AtomicFiles.writeString(out.resolve("metrics.json"), Json.MAPPER.writeValueAsString(json) + "\n");
      int n = result.history().size();
      double[] x = new double[n];
      double[] train = new double[n];
      double[] val = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = i + 1;
        train[i] = result.history().get(i).trainLoss();
        val[i] = result.history().get(i).validationLoss();
      }
      Map<String, double[]> series = new LinkedHashMap<>();
      series.put("training loss", train);
      series.put("validation loss", val);
      Plots.lines("Fine-tuning learning curve (" + config.mode() + ")", "epoch", "loss", x, series, out.resolve("learning-curve.png"));

      log.printf(Locale.ROOT, "test accuracy %.4f (%d pairs), ECE %.4f, best epoch %d of %d; fine-tune %s %.1fs (%.1f seqs/s)%n",
          metrics.accuracy(), metrics.pairs(), metrics.ece(), result.bestEpoch(), n, config.mode(), trainSeconds, json.get("train_sequences_per_second").asDouble());
      if (net.diskCacheSummary() != null) {
        log.println(net.diskCacheSummary());
      }
      log.println("wrote " + out + " (" + ModelStore.CONFIG + ", " + ModelStore.WEIGHTS + ", metrics.json, learning-curve.png)");
      log.flush();
    }
    return 0;
  }

  static void writeLearningCurve(TrainedHead trained, Path png) throws java.io.IOException {
    int n = trained.history().size();
    double[] x = new double[n];
    double[] train = new double[n];
    double[] val = new double[n];
    for (int i = 0; i < n; i++) {
      TrainedHead.Epoch e = trained.history().get(i);
      x[i] = e.epoch();
      train[i] = e.trainLoss();
      val[i] = e.validationLoss();
    }
    Map<String, double[]> series = new LinkedHashMap<>();
    series.put("training loss", train);
    series.put("validation loss", val);
    Plots.lines("Reward head learning curve", "epoch", "loss", x, series, png);
  }
}
