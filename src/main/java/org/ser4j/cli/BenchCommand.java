package org.ser4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ser4j.data.PairReader;
import org.ser4j.data.PreferencePair;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderSpec;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.encoder.SequenceTokenizer;
import org.ser4j.encoder.TokenizedInput;
import org.ser4j.model.Provenance;
import org.ser4j.model.finetune.BertRewardNet;
import org.ser4j.model.finetune.FineTuneConfig;
import org.ser4j.model.finetune.FineTuneMode;
import org.ser4j.model.finetune.FineTuner;
import org.ser4j.model.finetune.SequencePairs;
import org.ser4j.model.head.LinearHead;
import org.ser4j.model.head.PairFeatures;
import org.ser4j.model.head.RewardModel;
import org.ser4j.model.head.RewardTrainer;
import org.ser4j.model.head.TrainConfig;
import org.ser4j.ser.HeadLearner;
import org.ser4j.ser.Selector;
import org.ser4j.ser.SerConfig;
import org.ser4j.ser.SerInputs;
import org.ser4j.ser.SerLoop;
import org.ser4j.ser.SerResult;
import org.ser4j.ser.SyntheticPool;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `ser bench`: speed figures measured side by side in one run, since absolute speeds differ from
 * machine to machine. Encoder: our whole pipeline (tokenize, schedule, encode, pool) against ONNX
 * Runtime alone on the same pre-tokenized batches with the same parallelism (the ceiling). Head:
 * training pairs/s. Scoring: seconds for N cached pairs.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measure encoder throughput against raw ONNX Runtime (the ceiling), head training speed and scoring of cached pairs; prints a table and optionally writes JSON.")
public final class BenchCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "FILE",
      defaultValue = "../shared/data/hh-rlhf/harmless-base-test.jsonl.gz",
      description = "Pairs whose texts are encoded (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--texts",
      paramLabel = "N",
      defaultValue = "600",
      description = "Texts to encode per timed run (default: ${DEFAULT-VALUE}).")
  int texts;

  @Option(
      names = "--score-pairs",
      paramLabel = "N",
      defaultValue = "100000",
      description = "Cached pairs to score (default: ${DEFAULT-VALUE}).")
  int scorePairs;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Also write the figures as JSON here (default: none).")
  Path out;

  @Option(
      names = "--ser-pools",
      paramLabel = "N,N,...",
      split = ",",
      defaultValue = "10000,50000,200000",
      description =
          "Pool sizes for timing one SER loop on cached (synthetic, 768-d) features; empty to skip (default: ${DEFAULT-VALUE}).")
  List<Integer> serPools;

  @Option(
      names = "--skip-encoder",
      description = "Skip the encoder measurement (default: ${DEFAULT-VALUE}).")
  boolean skipEncoder;

  @Option(
      names = "--finetune-modes",
      paramLabel = "M,M,...",
      split = ",",
      defaultValue = "top:2,lora,full",
      description =
          "Fine-tuning modes whose training throughput is measured on the float MiniLM (one epoch on --finetune-pairs pairs); empty to skip (default: ${DEFAULT-VALUE}).")
  List<String> finetuneModes;

  @Option(
      names = "--finetune-pairs",
      paramLabel = "N",
      defaultValue = "96",
      description = "Pairs per fine-tuning measurement (default: ${DEFAULT-VALUE}).")
  int finetunePairs;

  @Option(
      names = "--finetune-length",
      paramLabel = "N",
      defaultValue = "128",
      description = "Max tokens per sequence when fine-tuning (default: ${DEFAULT-VALUE}).")
  int finetuneLength;

  @Mixin EncoderOptions encoder;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    List<PreferencePair> pairs =
        PairReader.readAll(data, org.ser4j.data.ReadOptions.defaults().withSkipBad(true)).pairs();
    List<ResponseInput> inputs = new ArrayList<>();
    for (PreferencePair p : pairs) {
      if (inputs.size() >= texts) {
        break;
      }
      inputs.add(new ResponseInput(p.prompt(), p.chosen()));
      inputs.add(new ResponseInput(p.prompt(), p.rejected()));
    }
    inputs = inputs.subList(0, Math.min(texts, inputs.size()));
    // One encoder input per text: the pair sequence only, so both sides encode exactly the same
    // sequences.
    EncoderConfig config = encoder.toConfig();
    config =
        new EncoderConfig(
            config.name(),
            config.model(),
            config.tokenizer(),
            config.pooling(),
            config.maxLength(),
            org.ser4j.encoder.InputStrategy.PAIR,
            null);
    int threads = encoder.runtime.threadCount();
    int batch = encoder.runtime.batchSize;
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("encoder", config.name());
    json.put("max_length", config.maxLength());
    json.put("threads", threads);
    json.put("batch_size", batch);
    json.put("texts", inputs.size());
    json.put("processors", Runtime.getRuntime().availableProcessors());

    double bestOurs = 0;
    double bestRaw = 0;
    double meanTokens = 0;
    if (!skipEncoder)
      try (Featurizer warm = Featurizer.open(config, null, Progress.quiet(), threads, batch)) {
        List<TokenizedInput> tokenized = new ArrayList<>();
        long tokens = 0;
        for (ResponseInput in : inputs) {
          TokenizedInput t = warm.tokenizer().pair(in.prompt().transcript(), in.response());
          tokenized.add(t);
          tokens += t.length();
        }
        meanTokens = (double) tokens / tokenized.size();
        tokenized.sort(Comparator.comparingInt(TokenizedInput::length));
        warm.features(
            inputs.subList(0, Math.min(40, inputs.size()))); // JIT and ONNX Runtime warm-up
        for (int rep = 0; rep < 2; rep++) {
          bestRaw = Math.max(bestRaw, rawThroughput(warm, tokenized, threads, batch));
          try (Featurizer fresh = Featurizer.open(config, null, Progress.quiet(), threads, batch)) {
            long t0 = System.nanoTime();
            fresh.features(inputs);
            bestOurs = Math.max(bestOurs, inputs.size() / ((System.nanoTime() - t0) / 1e9));
          }
        }
      }
    json.put("mean_tokens", meanTokens);
    json.put("encoder_texts_per_s", bestOurs);
    json.put("onnxruntime_texts_per_s", bestRaw);
    json.put("encoder_vs_ceiling", bestOurs / bestRaw);

    int d = 768;
    PairFeatures synthetic = randomPairs(20_000, d, 1);
    TrainConfig train = TrainConfig.defaults().withMaxEpochs(5).withPatience(5);
    long t0 = System.nanoTime();
    new RewardTrainer(train, Progress.quiet()).train(synthetic);
    double trainPairsPerS =
        5.0
            * synthetic.size()
            * (1 - train.validationFraction())
            / ((System.nanoTime() - t0) / 1e9);
    json.put("head_train_pairs_per_s", trainPairsPerS);

    PairFeatures cached = randomPairs(scorePairs, d, 2);
    RewardModel model =
        new RewardModel(
            null,
            org.ser4j.model.head.FeatureNormalizer.fit(cached.chosen()),
            new LinearHead(d),
            Provenance.UNKNOWN);
    model.score(cached.chosen()[0]);
    long t1 = System.nanoTime();
    model.score(cached.chosen());
    model.score(cached.rejected());
    double scoreSeconds = (System.nanoTime() - t1) / 1e9;
    json.put("score_pairs", scorePairs);
    json.put("score_seconds", scoreSeconds);

    row(log, "measure", "%12s", "value");
    if (!skipEncoder) {
      row(log, "encoder texts/s (" + config.name() + ", ours)", "%12.1f", bestOurs);
      row(log, "ONNX Runtime alone texts/s (ceiling)", "%12.1f", bestRaw);
      row(log, "ours / ceiling", "%12.3f", bestOurs / bestRaw);
      row(log, "mean tokens per text", "%12.1f", meanTokens);
      log.printf(
          Locale.ROOT,
          "(%d texts, %d threads, batch %d, max length %d, %d processors)%n",
          inputs.size(),
          threads,
          batch,
          config.maxLength(),
          Runtime.getRuntime().availableProcessors());
    }
    row(log, "head training pairs/s (linear, d=768)", "%12.0f", trainPairsPerS);
    row(log, "seconds to score " + scorePairs + " cached pairs", "%12.3f", scoreSeconds);
    ArrayNode pools = json.putArray("ser_loop");
    for (int n : serPools) {
      ObjectNode row = serLoop(n);
      pools.add(row);
      row(
          log,
          "SER loop seconds, pool " + n + " (score+select)",
          "%12.2f",
          row.get("score_select_seconds").asDouble());
      row(
          log,
          "SER loop seconds, pool " + n + " (whole loop)",
          "%12.2f",
          row.get("loop_seconds").asDouble());
      row(log, "  pairs selected / retrained on", "%12d", row.get("selected").asInt());
      row(log, "  heap used after the loop (MB)", "%12.0f", row.get("heap_mb").asDouble());
    }
    ArrayNode tuning = json.putArray("finetune");
    for (String mode : finetuneModes) {
      if (mode.isBlank()) {
        continue;
      }
      ObjectNode row = fineTuneThroughput(FineTuneMode.parse(mode), pairs);
      tuning.add(row);
      row(
          log,
          "fine-tune " + mode + " train seqs/s (L=" + finetuneLength + ")",
          "%12.1f",
          row.get("train_sequences_per_s").asDouble());
      if (row.get("frozen_layers").asInt() > 0) {
        row(
            log,
            "  lower " + row.get("frozen_layers").asInt() + " layers cached, texts/s (once)",
            "%12.1f",
            row.get("prepare_texts_per_s").asDouble());
      }
      row(
          log,
          "  scoring seqs/s (whole network, DJL)",
          "%12.1f",
          row.get("score_sequences_per_s").asDouble());
      if (row.has("cached_score_sequences_per_s")) {
        row(
            log,
            "  scoring seqs/s (top layers on the cache, DJL)",
            "%12.1f",
            row.get("cached_score_sequences_per_s").asDouble());
      }
      row(
          log,
          "  export to ONNX, s (once per SER loop)",
          "%12.2f",
          row.get("onnx_export_s").asDouble());
      row(
          log,
          "  scoring seqs/s (exported, ONNX Runtime)",
          "%12.1f",
          row.get("onnx_score_sequences_per_s").asDouble());
      row(
          log,
          "  ONNX / DJL",
          "%12.2f",
          row.get("onnx_score_sequences_per_s").asDouble()
              / row.get("score_sequences_per_s").asDouble());
      row(
          log,
          "  max |reward difference|",
          "%12.1e",
          row.get("onnx_max_abs_difference").asDouble());
      row(
          log,
          "  scoring seqs/s (exported int8, ONNX Runtime)",
          "%12.1f",
          row.get("onnx_int8_score_sequences_per_s").asDouble());
      row(
          log,
          "  int8 / DJL",
          "%12.2f",
          row.get("onnx_int8_score_sequences_per_s").asDouble()
              / row.get("score_sequences_per_s").asDouble());
      row(
          log,
          "  int8: pairs ordered as DJL orders them",
          "%12.3f",
          row.get("onnx_int8_pair_order_agreement").asDouble());
    }
    if (!tuning.isEmpty()) {
      log.printf(
          Locale.ROOT,
          "(fine-tuning: minilm-l6 float, %d pairs, batch 16, mean %.1f tokens, %d processors)%n",
          finetunePairs,
          tuning.get(0).get("mean_tokens").asDouble(),
          Runtime.getRuntime().availableProcessors());
    }
    log.printf(Locale.ROOT, "(max heap %d MB)%n", Runtime.getRuntime().maxMemory() >> 20);
    if (out != null) {
      AtomicFiles.writeString(out, Json.MAPPER.writeValueAsString(json) + "\n");
      log.println("wrote " + out);
    }
    log.flush();
    return 0;
  }

  /** One line of the table: the label, then the value in {@code format} (a %12 conversion). */
  private static void row(PrintWriter log, String label, String format, Object value) {
    log.printf(Locale.ROOT, "%-44s " + format + "%n", label, value);
  }

  /**
   * Training and scoring throughput of one fine-tuning mode on real pairs: one timed epoch after
   * one untimed warm-up step.
   */
  private ObjectNode fineTuneThroughput(FineTuneMode mode, List<PreferencePair> pairs)
      throws Exception {
    EncoderSpec spec = EncoderSpec.builtIn("minilm-l6");
    FineTuneConfig config = FineTuneConfig.defaults(mode).withEpochs(1);
    ObjectNode row = Json.MAPPER.createObjectNode();
    row.put("mode", mode.cliName());
    try (SequenceTokenizer tok = SequenceTokenizer.open(spec.tokenizer(), finetuneLength);
        BertRewardNet net = BertRewardNet.pretrained(spec.model(), 12, config)) {
      SequencePairs all =
          SequencePairs.tokenize(
              pairs.subList(0, Math.min(pairs.size(), finetunePairs + 16)),
              tok,
              org.ser4j.encoder.InputStrategy.PAIR);
      SequencePairs warm = all.select(java.util.stream.IntStream.range(0, 16).toArray());
      SequencePairs timed = all.select(java.util.stream.IntStream.range(16, all.size()).toArray());
      long tokens = timed.all().stream().mapToLong(TokenizedInput::length).sum();
      row.put("mean_tokens", (double) tokens / (2 * timed.size()));
      row.put("frozen_layers", mode.firstTrainedLayer(net.bert().layers()));
      new FineTuner(config, Progress.quiet())
          .train(net, warm, new SequencePairs(List.of(), List.of())); // warm-up
      long t0 = System.nanoTime();
      net.prepare(timed.all(), Progress.quiet());
      row.put("prepare_texts_per_s", 2 * timed.size() / ((System.nanoTime() - t0) / 1e9));
      FineTuner.Result r =
          new FineTuner(config, Progress.quiet())
              .train(net, timed, new SequencePairs(List.of(), List.of()));
      row.put("train_sequences_per_s", r.history().get(0).sequencesPerSecond());
      net.score(warm.all(), false, Progress.quiet()); // warm-up, as for ONNX below
      long t1 = System.nanoTime();
      double[] djl = net.score(timed.all(), false, Progress.quiet());
      row.put("score_sequences_per_s", 2 * timed.size() / ((System.nanoTime() - t1) / 1e9));
      if (mode.firstTrainedLayer(net.bert().layers())
          > 0) { // a SER loop's pool, lower layers cached
        long tc = System.nanoTime();
        net.score(timed.all(), true, Progress.quiet());
        row.put(
            "cached_score_sequences_per_s", 2 * timed.size() / ((System.nanoTime() - tc) / 1e9));
      }
      // The same weights exported to one ONNX graph, scored by ONNX Runtime, side by side.
      org.ser4j.encoder.EncoderConfig enc =
          new org.ser4j.encoder.EncoderConfig(
                  "minilm-l6",
                  spec.model(),
                  spec.tokenizer(),
                  spec.pooling(),
                  finetuneLength,
                  org.ser4j.encoder.InputStrategy.PAIR,
                  null)
              .pinned();
      Path exported = Files.createTempDirectory("ser4j-bench-onnx");
      try {
        org.ser4j.model.finetune.FineTunedModel trained =
            org.ser4j.model.finetune.FineTunedModel.of(net, enc, 12, config, Provenance.UNKNOWN);
        long te = System.nanoTime(); // what a SER loop pays before scoring its pool through ONNX
        org.ser4j.model.finetune.OnnxExport.export(trained);
        row.put("onnx_export_s", (System.nanoTime() - te) / 1e9);
        List<org.ser4j.encoder.ResponseInput> warmInputs = new java.util.ArrayList<>();
        List<org.ser4j.encoder.ResponseInput> timedInputs = new java.util.ArrayList<>();
        List<PreferencePair> used = pairs.subList(0, Math.min(pairs.size(), finetunePairs + 16));
        for (boolean chosen : new boolean[] {true, false}) { // SequencePairs.all()'s order
          for (int k = 0; k < used.size(); k++) {
            PreferencePair p = used.get(k);
            (k < 16 ? warmInputs : timedInputs)
                .add(
                    new org.ser4j.encoder.ResponseInput(
                        p.prompt(), chosen ? p.chosen() : p.rejected()));
          }
        }
        for (boolean int8 : new boolean[] {false, true}) {
          String key = int8 ? "onnx_int8" : "onnx";
          try (org.ser4j.model.RewardScorer onnx =
              trained
                  .exportOnnx(exported, int8)
                  .open(
                      new org.ser4j.encoder.EncoderRuntime(
                          null,
                          Runtime.getRuntime().availableProcessors(),
                          org.ser4j.encoder.Featurizer.DEFAULT_BATCH,
                          Progress.quiet()))) {
            onnx.rewards(warmInputs); // warm-up, as for DJL above
            long t2 = System.nanoTime();
            double[] fast = onnx.rewards(timedInputs);
            row.put(
                key + "_score_sequences_per_s",
                2 * timed.size() / ((System.nanoTime() - t2) / 1e9));
            double diff = 0;
            int sameOrder = 0;
            int n = fast.length / 2;
            for (int i = 0; i < fast.length; i++) {
              diff = Math.max(diff, Math.abs(fast[i] - djl[i]));
            }
            for (int i = 0; i < n; i++) { // does each pair keep DJL's order?
              sameOrder += (fast[i] > fast[n + i]) == (djl[i] > djl[n + i]) ? 1 : 0;
            }
            row.put(key + "_max_abs_difference", diff);
            row.put(key + "_pair_order_agreement", (double) sameOrder / n);
          }
        }
      } finally {
        try (var files = Files.list(exported)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            Files.deleteIfExists(f);
          }
        }
        Files.deleteIfExists(exported);
      }
    }
    return row;
  }

  /** One SER loop (Loop 0 first, untimed) on a synthetic pool of {@code n} cached pairs. */
  private static ObjectNode serLoop(int n) throws Exception {
    SyntheticPool.Synthetic pool = SyntheticPool.of(n, 0.15, 1000, 768, 1);
    SerInputs in = pool.features();
    SerConfig config = SerConfig.defaults().withMaxLoops(1).withMinNew(10);
    SerResult result =
        new SerLoop(
                config, 1, null, Provenance.UNKNOWN, new PrintWriter(java.io.Writer.nullWriter()))
            .run(pool.data(), HeadLearner.of(in, config.train()));
    // Score + select alone, timed apart from retraining: the part that grows with the pool.
    long t0 = System.nanoTime();
    RewardModel m = (RewardModel) result.finalModel();
    double[] r1 = m.score(in.poolFirst());
    double[] r2 = m.score(in.poolSecond());
    int selected =
        new Selector(config.thresholds())
            .select(
                in.pool().stream().map(org.ser4j.ser.Comparison::of).toList(),
                r1,
                r2,
                config.rule(),
                1)
            .size();
    double scoreSelect = (System.nanoTime() - t0) / 1e9;
    Runtime rt = Runtime.getRuntime();
    ObjectNode row = Json.MAPPER.createObjectNode();
    row.put("pool", n);
    row.put("score_select_seconds", scoreSelect);
    row.put(
        "loop_seconds", result.loops().size() > 1 ? result.loops().get(1).seconds() : Double.NaN);
    row.put("selected", result.loops().size() > 1 ? result.loops().get(1).selected() : selected);
    row.put(
        "self_label_precision",
        result.loops().size() > 1 ? result.loops().get(1).selfLabelPrecision() : Double.NaN);
    row.put("heap_mb", (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
    return row;
  }

  /** ONNX Runtime alone on pre-tokenized, length-sorted batches, with our parallelism. */
  private static double rawThroughput(
      Featurizer f, List<TokenizedInput> sorted, int threads, int batch) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long t0 = System.nanoTime();
      List<Future<?>> jobs = new ArrayList<>();
      for (int s = 0; s < sorted.size(); s += batch) {
        List<TokenizedInput> b = sorted.subList(s, Math.min(sorted.size(), s + batch));
        jobs.add(pool.submit(() -> f.encoder().runRaw(b)));
      }
      for (Future<?> j : jobs) {
        j.get();
      }
      return sorted.size() / ((System.nanoTime() - t0) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  private static PairFeatures randomPairs(int n, int d, long seed) {
    Random r = new Random(seed);
    float[][] c = new float[n][d];
    float[][] x = new float[n][d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        c[i][k] = (float) r.nextGaussian();
        x[i][k] = (float) r.nextGaussian();
      }
    }
    return new PairFeatures(c, x);
  }
}
