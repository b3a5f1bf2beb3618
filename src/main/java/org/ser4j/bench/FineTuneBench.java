package org.ser4j.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.ser4j.data.PreferencePair;
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
import org.ser4j.util.Json;
import org.ser4j.util.Progress;

/**
 * One fine-tuning mode on the float MiniLM and real pairs: training throughput (one timed epoch
 * after one untimed warm-up step), scoring through DJL (whole network, and top layers on the lower
 * layers' cache), and the same weights exported to ONNX (float and int8) scored by ONNX Runtime,
 * with how far their rewards are from DJL's.
 */
public final class FineTuneBench {
  private static final int WARM_PAIRS = 16;

  private FineTuneBench() {}

  /**
   * {@code pairs} pairs after {@link #WARM_PAIRS} warm-up pairs, sequences of at most {@code
   * maxLength} tokens.
   */
  public static ObjectNode throughput(
      FineTuneMode mode, List<PreferencePair> data, int pairs, int maxLength) throws Exception {
    EncoderSpec spec = EncoderSpec.builtIn("minilm-l6");
    FineTuneConfig config = FineTuneConfig.defaults(mode).withEpochs(1);
    ObjectNode row = Json.PRETTY.createObjectNode();
    row.put("mode", mode.cliName());
    List<PreferencePair> used = data.subList(0, Math.min(data.size(), pairs + WARM_PAIRS));
    SequencePairs none = new SequencePairs(List.of(), List.of());
    try (SequenceTokenizer tok = SequenceTokenizer.open(spec.tokenizer(), maxLength);
        BertRewardNet net = BertRewardNet.pretrained(spec.model(), 12, config)) {
      SequencePairs all = SequencePairs.tokenize(used, tok, InputStrategy.PAIR);
      SequencePairs warm = all.select(IntStream.range(0, WARM_PAIRS).toArray());
      SequencePairs timed = all.select(IntStream.range(WARM_PAIRS, all.size()).toArray());
      int texts = 2 * timed.size();
      long tokens = timed.all().stream().mapToLong(TokenizedInput::length).sum();
      row.put("mean_tokens", (double) tokens / texts);
      int frozen = mode.firstTrainedLayer(net.bert().layers());
      row.put("frozen_layers", frozen);
      new FineTuner(config, Progress.quiet()).train(net, warm, none); // warm-up
      if (frozen > 0) { // a SER loop's pool: lower layers computed once, then cached
        row.put(
            "prepare_texts_per_s",
            texts / Timing.seconds(() -> net.prepare(timed.all(), Progress.quiet())));
      }
      FineTuner.Result r = new FineTuner(config, Progress.quiet()).train(net, timed, none);
      row.put("train_sequences_per_s", r.history().get(0).itemsPerSecond());
      net.score(warm.all(), false, Progress.quiet()); // warm-up, as for ONNX below
      double[][] djl = new double[1][];
      double djlSeconds =
          Timing.seconds(() -> djl[0] = net.score(timed.all(), false, Progress.quiet()));
      row.put("score_sequences_per_s", texts / djlSeconds);
      if (frozen > 0) {
        double cached = Timing.seconds(() -> net.score(timed.all(), true, Progress.quiet()));
        row.put("cached_score_sequences_per_s", texts / cached);
      }
      // The same weights exported to one ONNX graph, scored by ONNX Runtime, side by side.
      EncoderConfig enc = EncoderConfig.of(spec, false, maxLength, "pair").pinned();
      FineTunedModel trained = FineTunedModel.of(net, enc, 12, config, Provenance.UNKNOWN);
      // What a SER loop pays before scoring its pool through ONNX.
      row.put("onnx_export_s", Timing.seconds(() -> OnnxExport.export(trained)));
      List<ResponseInput> warmInputs = new ArrayList<>();
      List<ResponseInput> timedInputs = new ArrayList<>();
      for (boolean chosen : new boolean[] {true, false}) { // SequencePairs.all()'s order
        for (int k = 0; k < used.size(); k++) {
          PreferencePair p = used.get(k);
          ResponseInput in = new ResponseInput(p.prompt(), chosen ? p.chosen() : p.rejected());
          (k < WARM_PAIRS ? warmInputs : timedInputs).add(in);
        }
      }
      onnxBesideDjl(trained, warmInputs, timedInputs, djl[0], djlSeconds, row);
    }
    return row;
  }

  /** The exported model (float, then int8) on ONNX Runtime against DJL's rewards and time. */
  private static void onnxBesideDjl(
      FineTunedModel trained,
      List<ResponseInput> warmInputs,
      List<ResponseInput> timedInputs,
      double[] djl,
      double djlSeconds,
      ObjectNode row)
      throws Exception {
    int texts = timedInputs.size();
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
          onnx.rewards(warmInputs); // warm-up, as for DJL
          double[][] fast = new double[1][];
          double onnxSeconds = Timing.seconds(() -> fast[0] = onnx.rewards(timedInputs));
          row.put(key + "_score_sequences_per_s", texts / onnxSeconds);
          row.put(key + "_vs_djl", djlSeconds / onnxSeconds);
          PairRewards a = PairRewards.ofConcatenated(fast[0]);
          PairRewards b = PairRewards.ofConcatenated(djl);
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
}
