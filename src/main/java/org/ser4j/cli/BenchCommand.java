package org.ser4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.Writer;
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
import java.util.stream.IntStream;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.encoder.EncoderSpec;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.InputStrategy;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.encoder.SequenceTokenizer;
import org.ser4j.encoder.TokenizedInput;
import org.ser4j.model.PairRewards;
import org.ser4j.model.Provenance;
import org.ser4j.model.RewardScorer;
import org.ser4j.model.finetune.BertRewardNet;
import org.ser4j.model.finetune.FineTuneConfig;
import org.ser4j.model.finetune.FineTuneMode;
import org.ser4j.model.finetune.FineTunedModel;
import org.ser4j.model.finetune.FineTuner;
import org.ser4j.model.finetune.OnnxExport;
import org.ser4j.model.finetune.SequencePairs;
import org.ser4j.model.head.FeatureNormalizer;
import org.ser4j.model.head.HeadLearner;
import org.ser4j.model.head.HeadModel;
import org.ser4j.model.head.LinearHead;
import org.ser4j.model.head.PairFeatures;
import org.ser4j.model.head.RewardTrainer;
import org.ser4j.model.head.SerInputs;
import org.ser4j.model.head.TrainConfig;
import org.ser4j.model.learn.Comparison;
import org.ser4j.ser.SerConfig;
import org.ser4j.ser.SerLoop;
import org.ser4j.ser.SerResult;
import org.ser4j.ser.select.Selector;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Json;
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
      required = true,
      description =
          "Pairs whose texts are encoded, such as ../shared/data/hh-rlhf/harmless-base-test.jsonl.gz; required.")
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
      defaultValue = "10000,50000,200000",
      description =
          "Pool sizes for timing one SER loop on cached (synthetic, 768-d) features; empty to skip (default: ${DEFAULT-VALUE}).")
  String serPools;

  @Option(
      names = "--ask-pools",
      paramLabel = "N,N,...",
      defaultValue = "200000",
      description =
          "Pool sizes for timing `ser ask` strategies (fisher beside random) picking --ask-count pairs from synthetic 768-d pair differences, 150 labels held; empty to skip (default: ${DEFAULT-VALUE}).")
  String askPools;

  @Option(
      names = "--ask-count",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Pairs each strategy picks in the ask timing (default: ${DEFAULT-VALUE}).")
  int askCount;

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
        PairReader.readAll(data, ReadOptions.defaults().withSkipBad(true)).pairs();
    List<ResponseInput> answers = new ArrayList<>();
    for (PreferencePair p : pairs.subList(0, Math.min(pairs.size(), (texts + 1) / 2))) {
      answers.add(new ResponseInput(p.prompt(), p.chosen()));
      answers.add(new ResponseInput(p.prompt(), p.rejected()));
    }
    List<ResponseInput> inputs = answers.subList(0, Math.min(texts, answers.size()));
    // One encoder input per text: the pair sequence only, so both sides encode exactly the same
    // sequences.
    EncoderConfig config =
        encoder.toConfig().withStrategy(InputStrategy.PAIR).withFingerprint(null);
    int threads = encoder.runtime.threadCount();
    int batch = encoder.runtime.batchSize;
    ObjectNode json = Json.PRETTY.createObjectNode();
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
        warm.features(inputs.subList(0, Math.min(40, inputs.size()))); // JIT and ORT warm-up
        for (int rep = 0; rep < 2; rep++) {
          bestRaw = Math.max(bestRaw, rawThroughput(warm, tokenized, threads, batch));
          try (Featurizer fresh = Featurizer.open(config, null, Progress.quiet(), threads, batch)) {
            bestOurs = Math.max(bestOurs, inputs.size() / seconds(() -> fresh.features(inputs)));
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
    double trainSeconds =
        seconds(() -> new RewardTrainer(train, Progress.quiet()).train(synthetic));
    double trainPairsPerS =
        5.0 * synthetic.size() * (1 - train.validationFraction()) / trainSeconds;
    json.put("head_train_pairs_per_s", trainPairsPerS);

    PairFeatures cached = randomPairs(scorePairs, d, 2);
    HeadModel model =
        new HeadModel(
            null, FeatureNormalizer.fit(cached.chosen()), new LinearHead(d), Provenance.UNKNOWN);
    model.score(cached.chosen()[0]);
    long t1 = System.nanoTime();
    model.score(cached.chosen());
    model.score(cached.rejected());
    double scoreSeconds = (System.nanoTime() - t1) / 1e9;
    json.put("score_pairs", scorePairs);
    json.put("score_seconds", scoreSeconds);

    row(log, "measure", "%12s", "value");
    if (!skipEncoder) {
      rows(
          log,
          json,
          fig("encoder texts/s (" + config.name() + ", ours)", "encoder_texts_per_s", "%12.1f"),
          fig("ONNX Runtime alone texts/s (ceiling)", "onnxruntime_texts_per_s", "%12.1f"),
          fig("ours / ceiling", "encoder_vs_ceiling", "%12.3f"),
          fig("mean tokens per text", "mean_tokens", "%12.1f"));
      log.printf(
          Locale.ROOT,
          "(%d texts, %d threads, batch %d, max length %d, %d processors)%n",
          inputs.size(),
          threads,
          batch,
          config.maxLength(),
          Runtime.getRuntime().availableProcessors());
    }
    rows(
        log,
        json,
        fig("head training pairs/s (linear, d=768)", "head_train_pairs_per_s", "%12.0f"),
        fig("seconds to score " + scorePairs + " cached pairs", "score_seconds", "%12.3f"));
    ArrayNode pools = json.putArray("ser_loop");
    for (int n : sizes(serPools)) {
      ObjectNode row = serLoop(n);
      pools.add(row);
      rows(
          log,
          row,
          fig("SER loop seconds, pool " + n + " (score+select)", "score_select_seconds", "%12.2f"),
          fig("SER loop seconds, pool " + n + " (whole loop)", "loop_seconds", "%12.2f"),
          fig("  pairs selected / retrained on", "selected", "%12.0f"),
          fig("  heap used after the loop (MB)", "heap_mb", "%12.0f"));
    }
    ArrayNode asking = json.putArray("ask");
    for (int n : sizes(askPools)) {
      for (String strategy : List.of("random", "fisher")) {
        ObjectNode row = askTiming(n, strategy);
        asking.add(row);
        rows(
            log,
            row,
            fig(
                "ser ask " + strategy + ": " + askCount + " of " + n + " pairs, seconds",
                "seconds",
                "%12.2f"));
      }
    }
    ArrayNode tuning = json.putArray("finetune");
    for (String mode : finetuneModes) {
      if (mode.isBlank()) {
        continue;
      }
      ObjectNode row = fineTuneThroughput(FineTuneMode.parse(mode), pairs);
      tuning.add(row);
      int frozen = row.get("frozen_layers").asInt();
      rows(
          log,
          row,
          fig(
              "fine-tune " + mode + " train seqs/s (L=" + finetuneLength + ")",
              "train_sequences_per_s",
              "%12.1f"),
          fig(
              "  lower " + frozen + " layers cached, texts/s (once)",
              "prepare_texts_per_s",
              "%12.1f"),
          fig("  scoring seqs/s (whole network, DJL)", "score_sequences_per_s", "%12.1f"),
          fig(
              "  scoring seqs/s (top layers on the cache, DJL)",
              "cached_score_sequences_per_s",
              "%12.1f"),
          fig("  export to ONNX, s (once per SER loop)", "onnx_export_s", "%12.2f"),
          fig("  scoring seqs/s (exported, ONNX Runtime)", "onnx_score_sequences_per_s", "%12.1f"),
          fig("  ONNX / DJL", "onnx_vs_djl", "%12.2f"),
          fig("  max |reward difference|", "onnx_max_abs_difference", "%12.1e"),
          fig(
              "  scoring seqs/s (exported int8, ONNX Runtime)",
              "onnx_int8_score_sequences_per_s",
              "%12.1f"),
          fig("  int8 / DJL", "onnx_int8_vs_djl", "%12.2f"),
          fig(
              "  int8: pairs ordered as DJL orders them",
              "onnx_int8_pair_order_agreement",
              "%12.3f"));
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
      AtomicFiles.writeString(out, Json.PRETTY.writeValueAsString(json) + "\n");
      log.println("wrote " + out);
    }
    log.flush();
    return 0;
  }

  /**
   * Times one acquisition strategy picking --ask-count of {@code n} synthetic pairs (768-d
   * standardized differences, probabilities in (0, 1), 150 labels held).
   */
  private ObjectNode askTiming(int n, String strategy) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    int dim = 768;
    float[][] diff = new float[n][dim];
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < dim; a++) {
        diff[i][a] = (float) (r.nextDouble() * 2 - 1);
      }
      p[i] = 0.02 + 0.96 * r.nextDouble();
    }
    float[][] held = java.util.Arrays.copyOf(diff, 150);
    double[] heldP = java.util.Arrays.copyOf(p, 150);
    org.ser4j.ser.ask.AskPool pool =
        new org.ser4j.ser.ask.AskPool(
            java.util.Arrays.copyOfRange(diff, 150, n),
            java.util.Arrays.copyOfRange(p, 150, n),
            held,
            heldP,
            null);
    long t0 = System.nanoTime();
    int picked = org.ser4j.ser.ask.Acquisition.of(strategy, 1).pick(pool, askCount).size();
    ObjectNode row = Json.PRETTY.createObjectNode();
    row.put("strategy", strategy);
    row.put("pool", n);
    row.put("picked", picked);
    row.put("seconds", (System.nanoTime() - t0) / 1e9);
    return row;
  }

  /** A list of sizes such as "10000,50000"; empty: none. */
  private static List<Integer> sizes(String list) {
    List<Integer> out = new ArrayList<>();
    for (String part : list.split(",")) {
      if (!part.isBlank()) {
        out.add(Integer.parseInt(part.strip()));
      }
    }
    return out;
  }

  /** One line of the table: the label, then the value in {@code format} (a %12 conversion). */
  private static void row(PrintWriter log, String label, String format, Object value) {
    log.printf(Locale.ROOT, "%-44s " + format + "%n", label, value);
  }

  /** A line of the table: its label, the JSON key of its figure, and the figure's format. */
  private record Figure(String label, String key, String format) {}

  private static Figure fig(String label, String key, String format) {
    return new Figure(label, key, format);
  }

  /** Lines of the table from the figures in {@code json}; a figure it lacks is left out. */
  private static void rows(PrintWriter log, JsonNode json, Figure... figures) {
    for (Figure f : figures) {
      if (json.has(f.key())) {
        row(log, f.label(), f.format(), json.get(f.key()).asDouble());
      }
    }
  }

  /**
   * Training and scoring throughput of one fine-tuning mode on real pairs: one timed epoch after
   * one untimed warm-up step.
   */
  private ObjectNode fineTuneThroughput(FineTuneMode mode, List<PreferencePair> pairs)
      throws Exception {
    EncoderSpec spec = EncoderSpec.builtIn("minilm-l6");
    FineTuneConfig config = FineTuneConfig.defaults(mode).withEpochs(1);
    ObjectNode row = Json.PRETTY.createObjectNode();
    row.put("mode", mode.cliName());
    List<PreferencePair> used = pairs.subList(0, Math.min(pairs.size(), finetunePairs + 16));
    SequencePairs none = new SequencePairs(List.of(), List.of());
    try (SequenceTokenizer tok = SequenceTokenizer.open(spec.tokenizer(), finetuneLength);
        BertRewardNet net = BertRewardNet.pretrained(spec.model(), 12, config)) {
      SequencePairs all = SequencePairs.tokenize(used, tok, InputStrategy.PAIR);
      SequencePairs warm = all.select(IntStream.range(0, 16).toArray());
      SequencePairs timed = all.select(IntStream.range(16, all.size()).toArray());
      int texts = 2 * timed.size();
      long tokens = timed.all().stream().mapToLong(TokenizedInput::length).sum();
      row.put("mean_tokens", (double) tokens / texts);
      int frozen = mode.firstTrainedLayer(net.bert().layers());
      row.put("frozen_layers", frozen);
      new FineTuner(config, Progress.quiet()).train(net, warm, none); // warm-up
      if (frozen > 0) { // a SER loop's pool: lower layers computed once, then cached
        row.put(
            "prepare_texts_per_s",
            texts / seconds(() -> net.prepare(timed.all(), Progress.quiet())));
      }
      FineTuner.Result r = new FineTuner(config, Progress.quiet()).train(net, timed, none);
      row.put("train_sequences_per_s", r.history().get(0).itemsPerSecond());
      net.score(warm.all(), false, Progress.quiet()); // warm-up, as for ONNX below
      double[][] djl = new double[1][];
      double djlSeconds = seconds(() -> djl[0] = net.score(timed.all(), false, Progress.quiet()));
      row.put("score_sequences_per_s", texts / djlSeconds);
      if (frozen > 0) {
        double cached = seconds(() -> net.score(timed.all(), true, Progress.quiet()));
        row.put("cached_score_sequences_per_s", texts / cached);
      }
      // The same weights exported to one ONNX graph, scored by ONNX Runtime, side by side.
      EncoderConfig enc = EncoderConfig.of(spec, false, finetuneLength, "pair").pinned();
      FineTunedModel trained = FineTunedModel.of(net, enc, 12, config, Provenance.UNKNOWN);
      // What a SER loop pays before scoring its pool through ONNX.
      row.put("onnx_export_s", seconds(() -> OnnxExport.export(trained)));
      List<ResponseInput> warmInputs = new ArrayList<>();
      List<ResponseInput> timedInputs = new ArrayList<>();
      for (boolean chosen : new boolean[] {true, false}) { // SequencePairs.all()'s order
        for (int k = 0; k < used.size(); k++) {
          PreferencePair p = used.get(k);
          ResponseInput in = new ResponseInput(p.prompt(), chosen ? p.chosen() : p.rejected());
          (k < 16 ? warmInputs : timedInputs).add(in);
        }
      }
      Path exported = Files.createTempDirectory("ser4j-bench-onnx");
      EncoderRuntime runtime =
          new EncoderRuntime(
              null,
              Runtime.getRuntime().availableProcessors(),
              Featurizer.DEFAULT_BATCH,
              Progress.quiet());
      try {
        for (boolean int8 : new boolean[] {false, true}) {
          String key = int8 ? "onnx_int8" : "onnx";
          try (RewardScorer onnx = trained.exportOnnx(exported, int8).open(runtime)) {
            onnx.rewards(warmInputs); // warm-up, as for DJL above
            double[][] fast = new double[1][];
            double onnxSeconds = seconds(() -> fast[0] = onnx.rewards(timedInputs));
            row.put(key + "_score_sequences_per_s", texts / onnxSeconds);
            row.put(key + "_vs_djl", djlSeconds / onnxSeconds);
            PairRewards a = PairRewards.ofConcatenated(fast[0]);
            PairRewards b = PairRewards.ofConcatenated(djl[0]);
            double[] ma = a.margins();
            double[] mb = b.margins();
            double diff = 0;
            int sameOrder = 0; // does each pair keep DJL's order?
            for (int i = 0; i < a.size(); i++) {
              diff = Math.max(diff, Math.abs(a.chosen()[i] - b.chosen()[i]));
              diff = Math.max(diff, Math.abs(a.rejected()[i] - b.rejected()[i]));
              sameOrder += (ma[i] > 0) == (mb[i] > 0) ? 1 : 0;
            }
            row.put(key + "_max_abs_difference", diff);
            row.put(key + "_pair_order_agreement", (double) sameOrder / a.size());
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

  /** Work timed by {@link #seconds}. */
  private interface Timed {
    void run() throws Exception;
  }

  private static double seconds(Timed work) throws Exception {
    long t0 = System.nanoTime();
    work.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** One SER loop (Loop 0 first, untimed) on a synthetic pool of {@code n} cached pairs. */
  private static ObjectNode serLoop(int n) throws Exception {
    SyntheticPool.Synthetic pool = SyntheticPool.of(n, 0.15, 1000, 768, 1);
    SerInputs in = pool.features();
    SerConfig config = SerConfig.defaults().withMaxLoops(1).withMinNew(10);
    SerResult result =
        new SerLoop(config, 1, null, Provenance.UNKNOWN, new PrintWriter(Writer.nullWriter()))
            .run(pool.data(), HeadLearner.of(in, config.train()));
    // Score + select alone, timed apart from retraining: the part that grows with the pool.
    long t0 = System.nanoTime();
    HeadModel m = (HeadModel) result.keptModel();
    double[] r1 = m.score(in.poolFirst());
    double[] r2 = m.score(in.poolSecond());
    int selected =
        new Selector(config.thresholds())
            .select(in.pool().stream().map(Comparison::of).toList(), r1, r2, config.rule(), 1)
            .size();
    double scoreSelect = (System.nanoTime() - t0) / 1e9;
    Runtime rt = Runtime.getRuntime();
    ObjectNode row = Json.PRETTY.createObjectNode();
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
