package org.ser4j.ser;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ser4j.data.SerDataset;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.encoder.SequenceTokenizer;
import org.ser4j.encoder.TokenizedInput;
import org.ser4j.model.PairRewards;
import org.ser4j.model.Provenance;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.finetune.BertRewardNet;
import org.ser4j.model.finetune.FineTuneConfig;
import org.ser4j.model.finetune.FineTunedModel;
import org.ser4j.model.finetune.FineTuner;
import org.ser4j.model.finetune.SequencePairs;
import org.ser4j.util.Progress;

/**
 * A reward model whose encoder learns ({@link FineTuneConfig#mode()} top:K, full or lora). One
 * network serves the whole run: each fit starts again from the pretrained weights (or, warm, from
 * the last fit's), and the frozen lower layers (top:K) run once per text.
 */
public final class FineTuneLearner implements RewardLearner {
  private final FineTuneConfig training;
  private final EncoderConfig encoder;
  private final int heads;
  private final Path layerCache;
  private final Progress progress;
  private SequenceTokenizer tokenizer;
  private BertRewardNet net;
  private SequencePairs labeled;
  private SequencePairs test;
  private List<TokenizedInput> first;
  private List<TokenizedInput> second;
  private long fitSeed;

  /**
   * @param training the fine-tuning settings; its seed draws the network's starting point (LoRA
   *     adapters)
   * @param layerCache where the frozen lower layers' states are kept on disk (null: memory only)
   */
  public FineTuneLearner(
      FineTuneConfig training,
      EncoderConfig encoder,
      int heads,
      Path layerCache,
      Progress progress) {
    this.training = training;
    this.encoder = encoder;
    this.heads = heads;
    this.layerCache = layerCache;
    this.progress = progress;
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
  public Fit fit(TrainingSet train, TrainingSet validation, long seed, boolean warmStart) {
    if (!warmStart) {
      net.restart(seed);
    }
    fitSeed = seed;
    FineTuner.Result result =
        new FineTuner(training.withSeed(seed), progress)
            .train(net, sequences(train), sequences(validation));
    List<Epoch> history =
        result.history().stream()
            .map(
                e ->
                    new Epoch(e.epoch(), e.trainLoss(), e.validationLoss(), e.validationAccuracy()))
            .toList();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("optimizer_steps", result.steps());
    details.put("skipped_steps", result.skippedSteps());
    details.put(
        "train_sequences_per_second",
        result.history().stream()
            .mapToDouble(FineTuner.Epoch::sequencesPerSecond)
            .average()
            .orElse(0));
    details.put("max_length", encoder.maxLength());
    return new Fit(history, result.bestEpoch(), result.validationPairs(), details);
  }

  private SequencePairs sequences(TrainingSet set) {
    List<TokenizedInput> c = new ArrayList<>();
    List<TokenizedInput> r = new ArrayList<>();
    for (SelfLabel s : set.selfLabeled()) {
      int k = s.pair().key();
      c.add(s.firstPreferred() ? first.get(k) : second.get(k));
      r.add(s.firstPreferred() ? second.get(k) : first.get(k));
    }
    return labeled.select(set.labeled()).concat(new SequencePairs(c, r));
  }

  @Override
  public PairRewards poolRewards(List<UnlabeledPair> pairs) {
    List<TokenizedInput> toScore = new ArrayList<>(2 * pairs.size());
    pairs.forEach(p -> toScore.add(first.get(p.key())));
    pairs.forEach(p -> toScore.add(second.get(p.key())));
    return PairRewards.ofConcatenated(net.score(toScore, true, progress));
  }

  @Override
  public PairRewards rewards(TrainingSet pairs) {
    return rewards(sequences(pairs));
  }

  @Override
  public PairRewards testRewards() {
    return rewards(test);
  }

  private PairRewards rewards(SequencePairs pairs) {
    return PairRewards.ofConcatenated(net.score(pairs.all(), true, Progress.quiet()));
  }

  @Override
  public FineTunedModel model(Provenance provenance) {
    return FineTunedModel.of(net, encoder, heads, training.withSeed(fitSeed), provenance);
  }

  @Override
  public void restore(TrainedModel saved) {
    net.load(((FineTunedModel) saved).tensors());
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
