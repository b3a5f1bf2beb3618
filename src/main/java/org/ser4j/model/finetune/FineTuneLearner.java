package org.ser4j.model.finetune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.split.SerDataset;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.OnnxEncoder;
import org.ser4j.encoder.Pooling;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.encoder.SequenceTokenizer;
import org.ser4j.encoder.TokenizedInput;
import org.ser4j.model.PairRewards;
import org.ser4j.model.Provenance;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.Comparison;
import org.ser4j.model.learn.PairGeometry;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.model.learn.TrainingSet;
import org.ser4j.util.Progress;

/**
 * A reward model whose encoder learns ({@link FineTuneConfig#mode()} top:K, full or lora). One
 * network serves the whole run: each fit starts again from the pretrained weights (or, warm, from a
 * given model's), each scoring loads the model it is given unless the network holds it already, and
 * the frozen lower layers (top:K) run once per text. Where every layer learns (full, LoRA) nothing
 * below can be cached, so the pool is scored through the current weights exported to ONNX ({@link
 * OnnxExport}), which ONNX Runtime runs about 1.5x faster than DJL; with cached lower layers
 * (top:K) DJL runs only the top K and stays faster.
 */
public final class FineTuneLearner implements RewardLearner, PairGeometry {
  private final FineTuneConfig training;
  private final EncoderConfig encoder;
  private final int heads;
  private final Path layerCache;
  private final int threads;
  private final Progress.Hideable progress;
  private SequenceTokenizer tokenizer;
  private BertRewardNet net;
  private SequencePairs labeled;
  private SequencePairs test;
  private List<TokenizedInput> first;
  private List<TokenizedInput> second;
  private FineTunedModel inNet; // the model whose weights the network holds (null: pretrained)

  /**
   * @param training the fine-tuning settings; its seed draws the network's starting point (LoRA
   *     adapters)
   * @param layerCache where the frozen lower layers' states are kept on disk (null: memory only)
   * @param threads sequences scored at once through ONNX (one per core)
   */
  public FineTuneLearner(
      FineTuneConfig training,
      EncoderConfig encoder,
      int heads,
      Path layerCache,
      int threads,
      Progress progress) {
    this.training = training;
    this.encoder = encoder;
    this.heads = heads;
    this.layerCache = layerCache;
    this.threads = threads;
    this.progress = Progress.hideable(progress);
  }

  @Override
  public void load(SerDataset data) throws IOException {
    tokenizer = SequenceTokenizer.open(encoder.tokenizer(), encoder.maxLength());
    net = BertRewardNet.pretrained(encoder.model(), heads, training);
    net.cacheLowerLayersUnder(layerCache, encoder);
    labeled = SequencePairs.tokenize(data.labeled(), tokenizer, encoder.strategy());
    test = SequencePairs.tokenize(data.test(), tokenizer, encoder.strategy());
    first = new ArrayList<>(data.pool().size());
    second = new ArrayList<>(data.pool().size());
    for (UnlabeledPair p : data.pool()) {
      first.add(tokenizer.sequence(new ResponseInput(p.prompt(), p.first()), encoder.strategy()));
      second.add(tokenizer.sequence(new ResponseInput(p.prompt(), p.second()), encoder.strategy()));
    }
  }

  @Override
  public Fit fit(TrainingSet train, TrainingSet validation, long seed, TrainedModel start) {
    return fit(train, validation, training.withSeed(seed), (FineTunedModel) start);
  }

  @Override
  public Fit fitEpochs(TrainingSet train, int epochs, long seed, TrainedModel start) {
    // With nothing held out the fine-tuner keeps the last epoch.
    return fit(
        train,
        TrainingSet.none(),
        training.withSeed(seed).withEpochs(epochs),
        (FineTunedModel) start);
  }

  private Fit fit(
      TrainingSet train, TrainingSet validation, FineTuneConfig cfg, FineTunedModel start) {
    if (!train.unweighted()) {
      throw new IllegalArgumentException(
          "a self-label weight other than 1 is built for frozen-encoder heads; a fine-tuned encoder weighs every pair alike");
    }
    if (start == null) {
      net.restart(cfg.seed());
    } else {
      hold(start);
    }
    FineTuner.Result result =
        new FineTuner(cfg, progress).train(net, sequences(train), sequences(validation));
    inNet = FineTunedModel.of(net, encoder, heads, cfg, Provenance.UNKNOWN);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("optimizer_steps", result.steps());
    details.put(
        "train_sequences_per_second",
        result.history().stream()
            .mapToDouble(org.ser4j.model.Epoch::itemsPerSecond)
            .average()
            .orElse(0));
    details.put("max_length", encoder.maxLength());
    return new Fit(inNet, result.history(), result.bestEpoch(), result.validationPairs(), details);
  }

  /** Puts {@code model}'s weights into the one network, unless it holds them already. */
  private void hold(TrainedModel model) {
    if (model != inNet) {
      net.load(((FineTunedModel) model).tensors());
      inNet = (FineTunedModel) model;
    }
  }

  private SequencePairs sequences(TrainingSet set) {
    List<TokenizedInput> c = new ArrayList<>();
    List<TokenizedInput> r = new ArrayList<>();
    for (SelfLabel s : set.selfLabeled()) {
      c.add(sequence(s.chosenAnswer()));
      r.add(sequence(s.rejectedAnswer()));
    }
    return labeled.select(set.labeled()).concat(new SequencePairs(c, r));
  }

  private TokenizedInput sequence(Comparison.Answer a) {
    return (a.isFirst() ? first : second).get(a.pair().key());
  }

  @Override
  public PairRewards poolRewards(TrainedModel model, List<UnlabeledPair> pairs) throws IOException {
    hold(model);
    List<TokenizedInput> toScore = new ArrayList<>(2 * pairs.size());
    pairs.forEach(p -> toScore.add(first.get(p.key())));
    pairs.forEach(p -> toScore.add(second.get(p.key())));
    return PairRewards.ofConcatenated(
        scoresThroughOnnx() ? onnxRewards(toScore) : net.score(toScore, true, progress));
  }

  /** Whether the pool goes through ONNX: only when no frozen lower layer is cached. */
  boolean scoresThroughOnnx() {
    return training.mode().firstTrainedLayer(net.bert().layers()) == 0;
  }

  /** The held weights exported to one graph, run with one single-threaded sequence per core. */
  private double[] onnxRewards(List<TokenizedInput> sequences) throws IOException {
    byte[] graph = OnnxExport.export(inNet);
    try (OnnxEncoder onnx = new OnnxEncoder(graph, "the loop's exported graph", Pooling.MEAN, 1);
        Progress.Task task = progress.start("score (ONNX)", sequences.size(), "texts")) {
      return OnnxRewardScorer.rewards(
          onnx.embedAll(sequences, Featurizer.DEFAULT_BATCH, threads, task));
    }
  }

  @Override
  public PairRewards rewards(TrainedModel model, TrainingSet pairs) {
    hold(model);
    return rewards(sequences(pairs));
  }

  @Override
  public PairRewards testRewards(TrainedModel model) {
    hold(model);
    return rewards(test);
  }

  private PairRewards rewards(SequencePairs pairs) {
    return PairRewards.ofConcatenated(net.score(pairs.all(), true, Progress.quiet()));
  }

  /**
   * The head's input space of a fine-tuned model is its network's last layer, mean-pooled (r = w .
   * pool + b, no normalizer), so a pair's difference is pool(first) - pool(second) under the
   * model's own weights: what Fisher-information and k-center acquisition weigh.
   */
  @Override
  public float[][] poolDifferences(TrainedModel model, List<UnlabeledPair> pairs) {
    List<TokenizedInput> a = new ArrayList<>(pairs.size());
    List<TokenizedInput> b = new ArrayList<>(pairs.size());
    for (UnlabeledPair p : pairs) {
      a.add(first.get(p.key()));
      b.add(second.get(p.key()));
    }
    return differences(model, new SequencePairs(a, b));
  }

  @Override
  public float[][] differences(TrainedModel model, TrainingSet pairs) {
    return differences(model, sequences(pairs));
  }

  private float[][] differences(TrainedModel model, SequencePairs pairs) {
    hold(model);
    net.bert().setTraining(false);
    float[][] a = net.pooled(pairs.chosen());
    float[][] b = net.pooled(pairs.rejected());
    for (int i = 0; i < a.length; i++) {
      for (int d = 0; d < a[i].length; d++) {
        a[i][d] -= b[i][d];
      }
    }
    return a;
  }

  @Override
  public EncoderConfig encoder() {
    return encoder;
  }

  @Override
  public String finetune() {
    return training.mode().cliName();
  }

  @Override
  public Progress.Hideable progress() {
    return progress;
  }

  @Override
  public String cacheSummary() {
    return net == null ? null : net.diskCacheSummary();
  }

  @Override
  public void close() {
    if (tokenizer != null) {
      tokenizer.close();
    }
    if (net != null) {
      net.close();
    }
  }
}
