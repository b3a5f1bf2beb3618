package org.ser4j.model.head;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.split.SerDataset;
import org.ser4j.encoder.Featurizer;
import org.ser4j.model.PairRewards;
import org.ser4j.model.Provenance;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.model.learn.TrainingSet;
import org.ser4j.util.Permutations;
import org.ser4j.util.Progress;

/**
 * A frozen pretrained encoder with a trained head: every text is encoded once (feature cache),
 * after which training and scoring touch only feature vectors. Where the vectors come from and
 * where the pool is scored is the {@link FeatureSource}'s business: this process, or a cluster.
 */
public final class HeadLearner implements RewardLearner, org.ser4j.model.learn.PairGeometry {
  private final FeatureSource source;
  private final TrainConfig config;
  private final Progress.Hideable progress;
  private HeadFeatures in;
  private SerDataset loaded; // the dataset whose vectors {@code in} holds

  private HeadLearner(
      FeatureSource source, HeadFeatures in, TrainConfig config, Progress progress) {
    this.source = source;
    this.in = in;
    this.config = config;
    this.progress = Progress.hideable(progress);
  }

  /** Learns on the vectors {@code source} encodes; closing the learner closes the source. */
  public static HeadLearner over(FeatureSource source, TrainConfig config, Progress progress) {
    return new HeadLearner(source, null, config, progress);
  }

  /**
   * Encodes the run's texts with {@code featurizer} in this process; closing the learner closes it
   * when {@code owns}.
   */
  public static HeadLearner encoding(
      Featurizer featurizer, boolean owns, TrainConfig config, Progress progress) {
    return over(new LocalFeatures(featurizer, owns), config, progress);
  }

  /**
   * Works on features already at hand (a synthetic pool for benchmarks); {@link #load} then reads
   * nothing.
   */
  public static HeadLearner of(SerInputs features, TrainConfig config) {
    return new HeadLearner(null, features, config, Progress.quiet());
  }

  @Override
  public void load(SerDataset data) throws IOException {
    if (in == null || (loaded != data && source != null)) {
      in = source.encode(data); // another dataset (an active-labeling round): its vectors
      loaded = data;
    }
  }

  @Override
  public float[][] poolDifferences(TrainedModel model, List<UnlabeledPair> pairs) {
    int[] keys = pairs.stream().mapToInt(UnlabeledPair::key).toArray();
    return differences((HeadModel) model, in.pool(keys));
  }

  @Override
  public float[][] differences(TrainedModel model, TrainingSet pairs) {
    return differences((HeadModel) model, features(pairs));
  }

  @Override
  public float[] rawScale(TrainedModel model) {
    return ((HeadModel) model).normalizer().std();
  }

  private static float[][] differences(HeadModel model, PairFeatures pairs) {
    float[][] c = model.normalizer().apply(pairs.chosen());
    float[][] r = model.normalizer().apply(pairs.rejected());
    float[][] d = new float[c.length][];
    for (int i = 0; i < c.length; i++) {
      d[i] = new float[c[i].length];
      for (int a = 0; a < d[i].length; a++) {
        d[i][a] = c[i][a] - r[i][a];
      }
    }
    return d;
  }

  /** Fits touch only vectors held in this process; a cluster's source is left to one at a time. */
  @Override
  public boolean concurrentFits() {
    return source == null || source instanceof LocalFeatures;
  }

  @Override
  public Fit fit(TrainingSet train, TrainingSet validation, long seed, TrainedModel start) {
    return fit(train, validation, config.withSeed(seed), (HeadModel) start);
  }

  @Override
  public Fit fitEpochs(TrainingSet train, int epochs, long seed, TrainedModel start) {
    // Nothing held out: the trainer keeps the epoch of lowest training loss within the budget.
    TrainConfig fixed = config.withSeed(seed).withMaxEpochs(epochs).withPatience(epochs);
    return fit(train, TrainingSet.none(), fixed, (HeadModel) start);
  }

  private Fit fit(TrainingSet train, TrainingSet validation, TrainConfig cfg, HeadModel start) {
    if (in.fitsElsewhere(train)) {
      return fullBatch(train, validation, cfg, start);
    }
    PairFeatures t = features(train);
    PairFeatures v = features(validation);
    if (cfg.coTraining() != null) {
      return coTrained(train, t, v, cfg);
    }
    RewardTrainer trainer = new RewardTrainer(cfg, progress);
    if (!train.unweighted()) {
      trainer = trainer.weighing(weights(train));
    }
    if (!cfg.debias().isEmpty()) {
      trainer = trainer.disentangling(styles(cfg.debias(), train, validation));
    }
    TrainedHead head =
        start != null ? trainer.train(t, v, start.head(), start.normalizer()) : trainer.train(t, v);
    // As saved: the model rounds the head to float, so a reloaded model scores identically.
    HeadModel model =
        new HeadModel(in.encoder(), head.normalizer(), head.head(), Provenance.UNKNOWN);
    Map<String, Object> details = new LinkedHashMap<>(source == null ? Map.of() : source.details());
    if (head.style() != null) {
      details.put("debias", head.style());
    }
    return new Fit(model, head.history(), head.bestEpoch(), head.validationPairs(), details);
  }

  /**
   * A fit where the pairs live ({@link HeadFeatures#rowsElsewhere}): full-batch along {@link
   * FullBatchTrainer#PATH}, the lambda judged on {@code validation}; with none (a main run's fit by
   * the folds' epoch budget, which a full-batch fit has no use for), judged on a seeded share of
   * the seed pairs held out, then every pair fit again at that lambda. One set of rows is held
   * where they live at a time.
   */
  private Fit fullBatch(
      TrainingSet train, TrainingSet validation, TrainConfig cfg, HeadModel start) {
    if (cfg.head() != HeadType.LINEAR
        || cfg.loss() != org.ser4j.model.Loss.PAIRWISE
        || !cfg.debias().isEmpty()
        || cfg.coTraining() != null) {
      throw new IllegalArgumentException(
          "a fit where the pool lives is a full-batch Bradley-Terry fit of one linear head: "
              + "not with --head mlp, a pointwise loss, --debias or co-training "
              + "(raise the bound on the self-labels fit in this process: ser-spark's"
              + " --driver-fit-max, now below this fit's "
              + train.selfLabeled().size()
              + ")");
    }
    FullBatchTrainer trainer = new FullBatchTrainer(progress);
    RewardHead from = start == null ? null : start.head();
    FeatureNormalizer norm = start == null ? null : start.normalizer();
    double[] path = FullBatchTrainer.PATH;
    TrainedHead head;
    if (validation.size() > 0) {
      try (FullBatchTrainer.Rows rows = in.rowsElsewhere(train)) {
        head = trainer.train(rows, features(validation), from, norm, path, PATH_PATIENCE);
      }
    } else {
      org.ser4j.data.split.SeedSplit split =
          org.ser4j.data.split.SeedSplit.forTraining(
              train.labeled().length, cfg.validationFraction(), cfg.seed());
      TrainingSet part =
          new TrainingSet(
              Permutations.pick(train.labeled(), split.train()),
              train.selfLabeled(),
              train.selfLabelWeight());
      TrainingSet held =
          TrainingSet.labeled(Permutations.pick(train.labeled(), split.validation()));
      TrainedHead chosen;
      try (FullBatchTrainer.Rows partRows =
          in.fitsElsewhere(part)
              ? in.rowsElsewhere(part)
              : FullBatchTrainer.inMemory(features(part), weights(part))) {
        chosen = trainer.train(partRows, features(held), from, norm, path, PATH_PATIENCE);
      }
      double[] at = {path[chosen.bestEpoch() - 1]};
      TrainedHead all;
      try (FullBatchTrainer.Rows rows = in.rowsElsewhere(train)) {
        all =
            trainer.train(
                rows, features(TrainingSet.none()), chosen.head(), chosen.normalizer(), at, 1);
      }
      head =
          new TrainedHead(
              all.head(),
              all.normalizer(),
              chosen.history(),
              chosen.bestEpoch(),
              chosen.validationPairs());
    }
    HeadModel model =
        new HeadModel(in.encoder(), head.normalizer(), head.head(), Provenance.UNKNOWN);
    Map<String, Object> details = new LinkedHashMap<>(source == null ? Map.of() : source.details());
    details.put("fit", "full-batch where the pool lives");
    details.put("l2", path[head.bestEpoch() - 1]);
    details.put("fit_pairs", train.size());
    return new Fit(model, head.history(), head.bestEpoch(), head.validationPairs(), details);
  }

  /** Lambdas of the path without a better validation loss before it stops. */
  private static final int PATH_PATIENCE = 2;

  /** Each pair's weight in the loss: 1 for a seed pair, the self-label weight for the rest. */
  private static double[] weights(TrainingSet set) {
    if (set.unweighted()) {
      return null;
    }
    double[] w = new double[set.size()];
    java.util.Arrays.fill(w, 0, set.labeled().length, 1.0);
    java.util.Arrays.fill(w, set.labeled().length, w.length, set.selfLabelWeight());
    return w;
  }

  /** The style measures of the answers of {@code train} and {@code validation}, row for row. */
  private StyleInputs styles(
      List<org.ser4j.data.Style> styles, TrainingSet train, TrainingSet validation) {
    if (loaded == null) {
      throw new IllegalStateException("--debias needs the answers' texts: load a dataset first");
    }
    double[][][] t = measures(styles, train);
    double[][][] v = measures(styles, validation);
    return new StyleInputs(styles, t[0], t[1], v[0], v[1]);
  }

  /**
   * The style measures of {@code set}'s chosen ([0]) and rejected ([1]) answers, in its order: seed
   * pairs, then self-labels (measured where their texts are: {@link HeadFeatures#selfLabelStyles}).
   */
  private double[][][] measures(List<org.ser4j.data.Style> styles, TrainingSet set) {
    List<String> chosen = new java.util.ArrayList<>(set.labeled().length);
    List<String> rejected = new java.util.ArrayList<>(set.labeled().length);
    for (int p : set.labeled()) {
      org.ser4j.data.PreferencePair pair = loaded.labeled().get(p);
      chosen.add(pair.chosen());
      rejected.add(pair.rejected());
    }
    double[][][] self = in.selfLabelStyles(styles, set.selfLabeled());
    return new double[][][] {
      concat(StyleInputs.measure(styles, chosen), self[0]),
      concat(StyleInputs.measure(styles, rejected), self[1])
    };
  }

  private static double[][] concat(double[][] a, double[][] b) {
    double[][] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Co-training across the encoders of a several-encoder model ({@link CoTraining}). */
  private Fit coTrained(TrainingSet train, PairFeatures t, PairFeatures v, TrainConfig cfg) {
    // Human labels (the seed, and a baseline's gold labels on the pool) train every view.
    int seedPairs = train.labeled().length;
    List<Integer> seedRows = new java.util.ArrayList<>();
    List<Integer> selfRows = new java.util.ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      boolean human = i < seedPairs || train.selfLabeled().get(i - seedPairs).isHuman();
      (human ? seedRows : selfRows).add(i);
    }
    int[] seed = seedRows.stream().mapToInt(Integer::intValue).toArray();
    int[] self = selfRows.stream().mapToInt(Integer::intValue).toArray();
    CoTrainer.Result r =
        new CoTrainer(cfg, in.encoder().views().size(), progress)
            .fit(t.select(seed), t.select(self), train.selfLabelWeight(), v, in.test());
    TrainedHead head = r.head();
    HeadModel model =
        new HeadModel(in.encoder(), head.normalizer(), head.head(), Provenance.UNKNOWN);
    Map<String, Object> details = new LinkedHashMap<>(source == null ? Map.of() : source.details());
    details.put("views", viewFigures(train, self, seedPairs, r));
    return new Fit(model, head.history(), head.bestEpoch(), head.validationPairs(), details);
  }

  /**
   * What each view did in a co-trained fit, for the loop's report: its encoder, the self-labels it
   * was taught (those the other views vouched for), the share of them the hidden gold labels
   * confirm (null without gold), its test accuracy, and the views' agreement on the self-labels.
   */
  private Map<String, Object> viewFigures(
      TrainingSet train, int[] selfRows, int seedPairs, CoTrainer.Result r) {
    List<org.ser4j.encoder.EncoderConfig> encoders = in.encoder().views();
    List<Map<String, Object>> views = new java.util.ArrayList<>();
    for (int v = 0; v < encoders.size(); v++) {
      int right = 0;
      int known = 0;
      for (int s = 0; s < selfRows.length; s++) {
        if (r.taught()[v][s] && loaded != null) {
          Boolean ok = train.selfLabeled().get(selfRows[s] - seedPairs).right(loaded.gold());
          if (ok != null) {
            known++;
            right += ok ? 1 : 0;
          }
        }
      }
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("encoder", encoders.get(v).name());
      f.put("self_labels_taught", r.vouched()[v]);
      f.put("taught_precision", known == 0 ? null : (double) right / known);
      double test = r.viewTestAccuracy()[v];
      f.put("test_accuracy", Double.isNaN(test) ? null : test);
      views.add(f);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("views", views);
    out.put("agreement_on_self_labels", r.agreement());
    return out;
  }

  private PairFeatures features(TrainingSet set) {
    List<SelfLabel> self = set.selfLabeled();
    int[] chosenKeys = self.stream().mapToInt(s -> s.chosenAnswer().pair().key()).toArray();
    int[] rejectedKeys = self.stream().mapToInt(s -> s.rejectedAnswer().pair().key()).toArray();
    PairFeatures ofChosen = in.pool(chosenKeys);
    // Both answers of a pool pair come with one fetch; a built pair's come from two pairs.
    PairFeatures ofRejected =
        java.util.Arrays.equals(chosenKeys, rejectedKeys) ? ofChosen : in.pool(rejectedKeys);
    float[][] c = new float[self.size()][];
    float[][] r = new float[self.size()][];
    for (int i = 0; i < self.size(); i++) {
      SelfLabel s = self.get(i);
      c[i] = s.chosenAnswer().isFirst() ? ofChosen.chosen()[i] : ofChosen.rejected()[i];
      r[i] = s.rejectedAnswer().isFirst() ? ofRejected.chosen()[i] : ofRejected.rejected()[i];
    }
    return in.labeled().select(set.labeled()).concat(new PairFeatures(c, r));
  }

  @Override
  public PairRewards poolRewards(TrainedModel model, List<UnlabeledPair> pairs) {
    HeadModel m = (HeadModel) model;
    if (config.coTraining() != null && config.coTraining().anyView()) {
      return CoTrainer.surestView(m, in.encoder().views().size(), v -> in.poolRewards(v, pairs));
    }
    return in.poolRewards(m, pairs);
  }

  @Override
  public PairRewards rewards(TrainedModel model, TrainingSet pairs) {
    return rewards((HeadModel) model, features(pairs));
  }

  @Override
  public PairRewards testRewards(TrainedModel model) {
    return rewards((HeadModel) model, in.test());
  }

  private static PairRewards rewards(HeadModel model, PairFeatures pairs) {
    return new PairRewards(model.score(pairs.chosen()), model.score(pairs.rejected()));
  }

  @Override
  public org.ser4j.encoder.EncoderConfig encoder() {
    return source != null ? source.encoder() : in.encoder();
  }

  @Override
  public String finetune() {
    return "none";
  }

  @Override
  public Progress.Hideable progress() {
    return progress;
  }

  @Override
  public String cacheSummary() {
    return source == null ? null : source.summary();
  }

  @Override
  public void close() {
    if (source != null) {
      source.close();
    }
  }

  /** This process's featurizer; an experiment's is shared by its runs, so not always owned. */
  private record LocalFeatures(Featurizer featurizer, boolean owns) implements FeatureSource {
    @Override
    public HeadFeatures encode(SerDataset data) throws IOException {
      return SerInputs.encode(featurizer, data);
    }

    @Override
    public org.ser4j.encoder.EncoderConfig encoder() {
      return featurizer.config();
    }

    @Override
    public Map<String, Object> details() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("cache_entries", featurizer.cache().size());
      d.put("cache_hits", featurizer.cache().hits());
      d.put("cache_misses", featurizer.cache().misses());
      return d;
    }

    @Override
    public String summary() {
      return featurizer.cache().summary();
    }

    @Override
    public void close() {
      if (owns) {
        featurizer.close();
      }
    }
  }
}
