package org.ser4j.ser;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.IntToDoubleFunction;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;
import org.ser4j.data.SkipCounts;
import org.ser4j.data.SourceRef;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.split.SerDataset;
import org.ser4j.data.split.Splits;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.model.PairRewards;
import org.ser4j.model.Provenance;
import org.ser4j.model.RewardScale;
import org.ser4j.model.RewardScorer;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.model.learn.TrainingSet;
import org.ser4j.util.Progress;

/**
 * A learner with no encoder and no training, for testing the loop's own rules: an answer's text
 * names its quality ("q0.73"), a model scores a pool answer {@code sharpness * quality}, and it
 * orders labeled pair p right when frac((p + 1) * phi) < its {@code accuracy}, so that a higher
 * accuracy is right on a superset of pairs. Both figures are scripted per loop. A reviewer (a fit
 * on a bootstrap sample, which repeats positions) reverses the answers listed as disputed. Every
 * fit is recorded.
 */
final class FakeLearner implements RewardLearner {
  /** A model: its scripted figures, whether it is a reviewer, and which fit made it. */
  record Model(int fit, double accuracy, double sharpness, boolean reviewer, Provenance provenance)
      implements TrainedModel {
    @Override
    public EncoderConfig encoder() {
      return null;
    }

    @Override
    public RewardScale scale() {
      return RewardScale.NONE;
    }

    @Override
    public TrainedModel withScale(RewardScale scale) {
      return this;
    }

    @Override
    public Model withProvenance(Provenance p) {
      return new Model(fit, accuracy, sharpness, reviewer, p);
    }

    @Override
    public void save(Path dir) throws java.io.IOException {
      var c = org.ser4j.util.Json.CANONICAL.createObjectNode();
      c.put("format", FakeModelFormat.NAME);
      c.put("fit", fit);
      c.put("accuracy", accuracy);
      c.put("sharpness", sharpness);
      c.put("reviewer", reviewer);
      java.nio.file.Files.createDirectories(dir);
      java.nio.file.Files.writeString(dir.resolve("config.json"), c.toString());
    }

    @Override
    public RewardScorer open(EncoderRuntime runtime) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String describe() {
      return "fake #" + fit;
    }
  }

  /** One fit as the loop asked for it. */
  record FitCall(
      TrainingSet train, TrainingSet validation, long seed, TrainedModel start, int epochs) {}

  final List<FitCall> fits = new ArrayList<>();
  private final long runSeed;
  private final IntToDoubleFunction accuracy;
  private final IntToDoubleFunction sharpness;
  private final Set<String> disputed;
  private SerDataset data;
  int failAtLoop = -1; // a crash: the main fit of this loop throws

  /**
   * @param runSeed the run's seed: a fit seeded {@code runSeed + t} is loop t's (the loop's rule)
   * @param accuracy the accuracy of loop t's models
   * @param sharpness the factor on pool answers' qualities of loop t's models
   * @param disputed answers whose reward a reviewer reverses
   */
  FakeLearner(
      long runSeed,
      IntToDoubleFunction accuracy,
      IntToDoubleFunction sharpness,
      Set<String> disputed) {
    this.runSeed = runSeed;
    this.accuracy = accuracy;
    this.sharpness = sharpness;
    this.disputed = disputed;
  }

  /**
   * A dataset of {@code n} pairs, one prompt each, a {@code labeledFraction} of them labeled; pair
   * i's chosen answer has quality {@code chosen.applyAsDouble(i)}, its rejected answer {@code
   * rejected}. Texts are unique ("q0.730 #i").
   */
  static SerDataset data(
      int n, double labeledFraction, IntToDoubleFunction chosen, IntToDoubleFunction rejected) {
    List<PreferencePair> pairs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pairs.add(
          new PreferencePair(
              "p" + i,
              Prompt.of("prompt " + i),
              answer(chosen.applyAsDouble(i), "c" + i),
              answer(rejected.applyAsDouble(i), "r" + i),
              new SourceRef("fake", i + 1)));
    }
    Splits.SeedAndPool split = Splits.labeledSeed(pairs, labeledFraction, 1);
    return new SerDataset(
        split.labeled(),
        split.pool(),
        split.gold(),
        split.labeled(), // only its size matters: test accuracy is the model's figure
        new SerDataset.Counts(n, 0, new SkipCounts(0), new SkipCounts(0), 0, n));
  }

  static String answer(double quality, String tag) {
    return String.format(java.util.Locale.ROOT, "q%.3f %s", quality, tag);
  }

  static double quality(String text) {
    return Double.parseDouble(text.substring(1, text.indexOf(' ')));
  }

  /** Whether a model of this accuracy orders labeled pair {@code position} right. */
  static boolean right(int position, double accuracy) {
    double phi = 0.6180339887498949;
    double frac = (position + 1) * phi % 1;
    return frac < accuracy;
  }

  @Override
  public void load(SerDataset data) {
    this.data = data;
  }

  @Override
  public Fit fit(TrainingSet train, TrainingSet validation, long seed, TrainedModel start) {
    return record(train, validation, seed, start, 0);
  }

  @Override
  public Fit fitEpochs(TrainingSet train, int epochs, long seed, TrainedModel start) {
    return record(train, TrainingSet.none(), seed, start, epochs);
  }

  private Fit record(
      TrainingSet train, TrainingSet validation, long seed, TrainedModel start, int epochs) {
    int loop = (int) (seed - runSeed);
    if (loop == failAtLoop) {
      throw new IllegalStateException("crash in loop " + loop);
    }
    fits.add(new FitCall(train, validation, seed, start, epochs));
    boolean bootstrap = Arrays.stream(train.labeled()).distinct().count() < train.labeled().length;
    Model m =
        new Model(
            fits.size() - 1,
            accuracy.applyAsDouble(loop),
            sharpness.applyAsDouble(loop),
            bootstrap,
            Provenance.UNKNOWN);
    return new Fit(
        m,
        List.of(new org.ser4j.model.Epoch(1, 0.5, 0.4, Double.NaN, 0, 0)),
        1,
        validation.size(),
        java.util.Map.of());
  }

  @Override
  public PairRewards poolRewards(TrainedModel model, List<UnlabeledPair> pairs) {
    Model m = (Model) model;
    double[] a = new double[pairs.size()];
    double[] b = new double[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      a[i] = reward(m, pairs.get(i).first());
      b[i] = reward(m, pairs.get(i).second());
    }
    return new PairRewards(a, b);
  }

  private double reward(Model m, String text) {
    double r = m.sharpness() * quality(text);
    return m.reviewer() && disputed.contains(text) ? -r : r;
  }

  @Override
  public PairRewards rewards(TrainedModel model, TrainingSet pairs) {
    Model m = (Model) model;
    int n = pairs.size();
    double[] c = new double[n];
    double[] r = new double[n];
    int k = 0;
    for (int p : pairs.labeled()) {
      c[k++] = right(p, m.accuracy()) ? 1 : -1;
    }
    for (SelfLabel s : pairs.selfLabeled()) {
      c[k] = reward(m, s.chosen());
      r[k++] = reward(m, s.rejected());
    }
    return new PairRewards(c, r);
  }

  @Override
  public PairRewards testRewards(TrainedModel model) {
    int[] all = java.util.stream.IntStream.range(0, data.test().size()).toArray();
    return rewards(model, TrainingSet.labeled(all));
  }

  @Override
  public String finetune() {
    return "none";
  }

  @Override
  public Progress.Hideable progress() {
    return Progress.hideable(Progress.quiet());
  }

  @Override
  public String cacheSummary() {
    return null;
  }

  @Override
  public void close() {}

  @Override
  public EncoderConfig encoder() {
    return null;
  }
}
