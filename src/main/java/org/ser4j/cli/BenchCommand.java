package org.ser4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ser4j.bench.AskBench;
import org.ser4j.bench.EncoderBench;
import org.ser4j.bench.FineTuneBench;
import org.ser4j.bench.HeadBench;
import org.ser4j.bench.SerLoopBench;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderSpec;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.finetune.FineTuneMode;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `ser bench`: speed figures measured side by side in one run, since absolute speeds differ from
 * machine to machine. The measurements are {@code org.ser4j.bench}'s; this command parses the
 * options and prints the table (and the JSON).
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

  @Option(
      names = "--encoders",
      paramLabel = "E,E,...",
      split = ",",
      description =
          "Built-in encoders timed side by side, as --encoder E,E,... reads texts: the first alone, the first two, ..., each against ONNX Runtime alone on the same texts with the same encoders; empty to skip (default: none).")
  List<String> encoders = List.of();

  @Mixin EncoderOptions encoder;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    List<PreferencePair> pairs =
        PairReader.readAll(data, ReadOptions.defaults().withSkipBad(true)).pairs();
    List<ResponseInput> inputs = EncoderBench.answers(pairs, texts);
    EncoderConfig config = EncoderBench.pairOnly(encoder.toConfig());
    int threads = encoder.runtime.threadCount();
    int batch = encoder.runtime.batchSize;
    int processors = Runtime.getRuntime().availableProcessors();
    ObjectNode json = Json.PRETTY.createObjectNode();
    json.put("encoder", config.name());
    json.put("max_length", config.maxLength());
    json.put("threads", threads);
    json.put("batch_size", batch);
    json.put("texts", inputs.size());
    json.put("processors", processors);
    if (!skipEncoder) {
      json.setAll(EncoderBench.measure(config, inputs, threads, batch));
    }
    json.setAll(HeadBench.measure(scorePairs));
    ArrayNode side = json.putArray("encoders_side_by_side");
    List<EncoderConfig> views =
        encoders.stream()
            .filter(e -> !e.isBlank())
            .map(
                e ->
                    EncoderConfig.of(
                        EncoderSpec.builtIn(e.strip()), false, config.maxLength(), "pair"))
            .toList();
    if (!views.isEmpty()) {
      EncoderBench.views(views, inputs, threads, batch).forEach(side::add);
    }

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
          processors);
    }
    for (JsonNode row : side) {
      rows(
          log,
          row,
          fig(
              "encoders " + row.get("encoders").asText() + ", texts/s",
              "encoder_texts_per_s",
              "%12.1f"),
          fig("  ONNX Runtime alone, each in turn, texts/s", "onnxruntime_texts_per_s", "%12.1f"),
          fig("  ours / ceiling", "encoder_vs_ceiling", "%12.3f"),
          fig("  tokenizing, s (every encoder's own)", "tokenize_seconds", "%12.2f"),
          fig("  last one's token ids as the first's", "same_ids_as_first", "%12.3f"));
    }
    rows(
        log,
        json,
        fig("head training pairs/s (linear, d=768)", "head_train_pairs_per_s", "%12.0f"),
        fig("seconds to score " + scorePairs + " cached pairs", "score_seconds", "%12.3f"));
    ArrayNode pools = json.putArray("ser_loop");
    for (int n : sizes(serPools)) {
      ObjectNode row = SerLoopBench.run(n);
      pools.add(row);
      printSerLoop(log, n, row);
    }
    ArrayNode asking = json.putArray("ask");
    for (int n : sizes(askPools)) {
      for (String strategy : List.of("random", "fisher")) {
        ObjectNode row = AskBench.time(n, strategy, askCount);
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
      ObjectNode row =
          FineTuneBench.throughput(FineTuneMode.parse(mode), pairs, finetunePairs, finetuneLength);
      tuning.add(row);
      printFineTune(log, mode, row);
    }
    if (!tuning.isEmpty()) {
      log.printf(
          Locale.ROOT,
          "(fine-tuning: minilm-l6 float, %d pairs, batch 16, mean %.1f tokens, %d processors)%n",
          finetunePairs,
          tuning.get(0).get("mean_tokens").asDouble(),
          processors);
    }
    log.printf(Locale.ROOT, "(max heap %d MB)%n", Runtime.getRuntime().maxMemory() >> 20);
    if (out != null) {
      AtomicFiles.writeString(out, Json.PRETTY.writeValueAsString(json) + "\n");
      log.println("wrote " + out);
    }
    log.flush();
    return 0;
  }

  /** The loop's figures, its fits apart: the decision folds' (in order), then the main fit. */
  private static void printSerLoop(PrintWriter log, int n, ObjectNode row) {
    rows(
        log,
        row,
        fig("SER loop seconds, pool " + n + " (whole loop)", "loop_seconds", "%12.2f"),
        fig("  score + select (main RM)", "score_select_seconds", "%12.2f"));
    int fold = 0;
    for (JsonNode f : row.get("fits")) {
      boolean main = f.get("kind").asText().equals("main");
      row(
          log,
          String.format(
              Locale.ROOT,
              "  %s fit, s (%d pairs, %d epochs)",
              main ? "main" : "fold " + ++fold,
              f.get("pairs").asInt(),
              f.get("epochs").asInt()),
          "%12.2f",
          f.get("seconds").asDouble());
    }
    rows(
        log,
        row,
        fig("  pairs selected / retrained on", "selected", "%12.0f"),
        fig("  heap used after the loop (MB)", "heap_mb", "%12.0f"));
  }

  private void printFineTune(PrintWriter log, String mode, ObjectNode row) {
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
}
