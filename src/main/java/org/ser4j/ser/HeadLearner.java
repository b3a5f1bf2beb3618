package org.ser4j.ser;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ser4j.data.SerDataset;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.encoder.Featurizer;
import org.ser4j.model.PairRewards;
import org.ser4j.model.Provenance;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.head.PairFeatures;
import org.ser4j.model.head.RewardModel;
import org.ser4j.model.head.RewardTrainer;
import org.ser4j.model.head.TrainConfig;
import org.ser4j.model.head.TrainedHead;
import org.ser4j.util.Progress;

/**
 * A frozen pretrained encoder with a trained head: every text is encoded once (feature cache),
 * after which training and scoring touch only feature vectors.
 */
public final class HeadLearner implements RewardLearner {
  private final Featurizer featurizer;
  private final TrainConfig config;
  private final Progress progress;
  private SerInputs in;
  private RewardModel model;

  private final boolean ownsFeaturizer;

  private HeadLearner(
      Featurizer featurizer, boolean owns, SerInputs in, TrainConfig config, Progress progress) {
    this.featurizer = featurizer;
    this.ownsFeaturizer = owns;
    this.in = in;
    this.config = config;
    this.progress = progress;
  }

  /**
   * Encodes the run's texts with {@code featurizer}; closing the learner closes it when {@code
   * owns}.
   */
  public static HeadLearner encoding(
      Featurizer featurizer, boolean owns, TrainConfig config, Progress progress) {
    return new HeadLearner(featurizer, owns, null, config, progress);
  }

  /**
   * Works on features already at hand (a synthetic pool for benchmarks); {@link #load} then reads
   * nothing.
   */
  public static HeadLearner of(SerInputs features, TrainConfig config) {
    return new HeadLearner(null, false, features, config, Progress.quiet());
  }

  @Override
  public void load(SerDataset data) throws IOException {
    if (in == null) {
      in = SerInputs.encode(featurizer, data);
    }
  }

  @Override
  public Fit fit(TrainingSet train, TrainingSet validation, long seed, boolean warmStart) {
    PairFeatures t = features(train);
    PairFeatures v = features(validation);
    RewardTrainer trainer = new RewardTrainer(config.withSeed(seed), progress);
    TrainedHead head =
        warmStart ? trainer.train(t, v, model.head(), model.normalizer()) : trainer.train(t, v);
    // As saved: the model rounds the head to float, so a reloaded model scores identically.
    model = new RewardModel(in.encoder(), head.normalizer(), head.head(), Provenance.UNKNOWN);
    List<Epoch> history =
        head.history().stream()
            .map(
                e ->
                    new Epoch(e.epoch(), e.trainLoss(), e.validationLoss(), e.validationAccuracy()))
            .toList();
    Map<String, Object> details = new LinkedHashMap<>();
    if (featurizer != null) {
      details.put("cache_entries", featurizer.cache().size());
      details.put("cache_hits", featurizer.cache().hits());
      details.put("cache_misses", featurizer.cache().misses());
    }
    return new Fit(history, head.bestEpoch(), head.validationPairs(), details);
  }

  private PairFeatures features(TrainingSet set) {
    List<SelfLabel> self = set.selfLabeled();
    float[][] c = new float[self.size()][];
    float[][] r = new float[self.size()][];
    for (int i = 0; i < self.size(); i++) {
      SelfLabel s = self.get(i);
      int k = s.pair().key();
      c[i] = s.firstPreferred() ? in.poolFirst()[k] : in.poolSecond()[k];
      r[i] = s.firstPreferred() ? in.poolSecond()[k] : in.poolFirst()[k];
    }
    return in.labeled().select(set.labeled()).concat(new PairFeatures(c, r));
  }

  @Override
  public PairRewards poolRewards(List<UnlabeledPair> pairs) {
    double[] r1 = new double[pairs.size()];
    double[] r2 = new double[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      r1[i] = model.score(in.poolFirst()[pairs.get(i).key()]);
      r2[i] = model.score(in.poolSecond()[pairs.get(i).key()]);
    }
    return new PairRewards(r1, r2);
  }

  @Override
  public PairRewards rewards(TrainingSet pairs) {
    return rewards(features(pairs));
  }

  @Override
  public PairRewards testRewards() {
    return rewards(in.test());
  }

  private PairRewards rewards(PairFeatures pairs) {
    return new PairRewards(model.score(pairs.chosen()), model.score(pairs.rejected()));
  }

  @Override
  public RewardModel model(Provenance provenance) {
    return new RewardModel(model.encoder(), model.normalizer(), model.head(), provenance);
  }

  @Override
  public void restore(TrainedModel saved) {
    model = (RewardModel) saved;
  }

  @Override
  public org.ser4j.encoder.EncoderConfig encoder() {
    return featurizer != null ? featurizer.config() : in.encoder();
  }

  @Override
  public String finetune() {
    return "none";
  }

  @Override
  public String cacheSummary() {
    return featurizer == null ? null : featurizer.cache().summary();
  }

  @Override
  public void close() {
    if (ownsFeaturizer) {
      featurizer.close(); // else the caller's: one serves every run of an experiment
    }
  }
}
