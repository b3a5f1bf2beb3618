package org.ser4j.ser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.split.SeedSplit;
import org.ser4j.model.Loss;
import org.ser4j.model.PairRewards;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.Comparison;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.model.learn.TrainingSet;
import org.ser4j.ser.select.PairConfidence;
import org.ser4j.ser.select.SelectionRule;
import org.ser4j.ser.select.Taken;

/**
 * Cross-validated decisions: one SER run per fold of the seed, beside the main run. Fold f's RM is
 * fitted on the other folds plus the self-labels it selected itself, and judged on fold f. Its
 * self-labels never come from a model that saw fold f, so the out-of-fold accuracy of loop t
 * estimates what t loops of SER give; self-labels chosen by the main run's RM, which saw every
 * fold, would carry fold f's labels back into its own judge (measured: out-of-fold accuracy 0.73 ->
 * 0.90 on AlpacaEval in one loop while test accuracy moved 0.69 -> 0.70). The fold runs select as
 * the main run does, without its second opinion ({@code --reviewers}). The main run's RM is fitted
 * on the whole seed for the folds' median best epoch.
 */
final class FoldJudge implements LoopJudge {
  /** How a fold's current RM picks its new self-labels from what is left of its pool. */
  interface FoldSelection {
    List<SelfLabel> select(TrainedModel model, Taken taken, double temperature, int loop)
        throws IOException;
  }

  /**
   * The most self-labels a fold fit trains on. Beyond it, each fold fits on a seeded sample of its
   * self-labels, weighted up to stand for all of them, so that the five fold fits cost a bounded
   * amount however large the pool (they were 60 of a loop's 69 s at 200k pairs); the stored
   * experiments never reach it.
   */
  static final int MAX_FOLD_SELF_LABELS = 20_000;

  /** Out-of-fold margins of labeled seed pairs, each fold's best epoch, and its training rows. */
  record OutOfFold(double[] margins, int[] bestEpochs, long foldRows, boolean sampled) {
    Loss.Evaluation evaluation() {
      return Loss.PAIRWISE.evaluate(new PairRewards(margins, new double[margins.length]));
    }

    int medianEpoch() {
      return median(bestEpochs);
    }

    /**
     * Epochs for the main fit on {@code mainRows} pairs: the folds' median best epoch; when the
     * folds trained on a sample, as many optimizer steps as that many epochs took on a fold.
     */
    int mainEpochs(int mainRows) {
      int median = medianEpoch();
      if (!sampled) {
        return median;
      }
      double stepsPerFold = (double) median * foldRows / bestEpochs.length;
      return (int) Math.max(1, Math.min(median, Math.round(stepsPerFold / mainRows)));
    }
  }

  /** The folds' median best epoch (the upper one of an even count). */
  static int median(int[] bestEpochs) {
    int[] e = bestEpochs.clone();
    java.util.Arrays.sort(e);
    return e[e.length / 2];
  }

  private final RewardLearner learner;
  private final SerConfig config;
  private final long seed;
  private final int[] positions;
  private final FoldSelection selection;
  private final int[][] heldOut;
  private final int[][] train;
  private final TrainedModel[] models;
  private final Taken[] taken;
  private final List<FoldSample> selected = new ArrayList<>();
  private OutOfFold last;

  /**
   * SeedSplit.Folds of the seed {@code positions}, fixed for the run by {@code seed}; each fold run
   * takes from the pool as {@code newTaken} starts it (the pairs labeled by people never selected);
   * each fold run's self-labels (at most {@link #MAX_FOLD_SELF_LABELS} of them: {@link FoldSample})
   * kept in lists from {@code newSelfLabels}.
   */
  FoldJudge(
      RewardLearner learner,
      SerConfig config,
      long seed,
      int[] positions,
      java.util.function.Supplier<Taken> newTaken,
      FoldSelection selection,
      java.util.function.Supplier<List<SelfLabel>> newSelfLabels) {
    this.learner = learner;
    this.config = config;
    this.seed = seed;
    this.positions = positions;
    this.selection = selection;
    SeedSplit.Folds dealt = SeedSplit.Folds.of(positions, config.decisionFolds(), seed);
    this.heldOut = dealt.heldOut();
    this.train = new int[heldOut.length][];
    this.models = new TrainedModel[heldOut.length];
    this.taken = new Taken[heldOut.length];
    for (int f = 0; f < heldOut.length; f++) {
      train[f] = dealt.others(f);
      taken[f] = newTaken.get();
      selected.add(new FoldSample(MAX_FOLD_SELF_LABELS, seed + f, newSelfLabels));
    }
  }

  @Override
  public int[] train() {
    return positions;
  }

  @Override
  public TrainingSet validation() {
    return TrainingSet.none();
  }

  @Override
  public boolean judges() {
    return true;
  }

  @Override
  public Judged fit(int loop, TrainingSet train, TrainedModel start) throws IOException {
    OutOfFold cv = advance(loop);
    return new Judged(
        learner.fitEpochs(train, cv.mainEpochs(train.size()), seed + loop, start), cv.evaluation());
  }

  /** Fitted on the last loop's out-of-fold margins. */
  @Override
  public double temperature(TrainedModel current, List<SelfLabel> selfLabels, int loop) {
    return lastTemperature();
  }

  private double lastTemperature() {
    return PairConfidence.fitTemperature(last.margins());
  }

  /** The fold runs are not saved: they run again up to {@code last}. */
  @Override
  public void resume(int last) throws IOException {
    for (int loop = 0; loop <= last; loop++) {
      advance(loop);
    }
  }

  /**
   * Loop {@code loop} of every fold run (from loop 1, each fold's RM first selects from what is
   * left of its pool); returns the out-of-fold figures.
   */
  private OutOfFold advance(int loop) throws IOException {
    boolean warm = loop > 0 && config.warmStart();
    double[][] foldMargins = new double[heldOut.length][];
    int[] bestEpochs = new int[heldOut.length];
    long[] foldRows = new long[heldOut.length];
    // Only pair-confidence reads T; it is the same for every fold, so fitted once.
    double temperature =
        last != null && config.rule() == SelectionRule.PAIR_CONFIDENCE
            ? lastTemperature()
            : Double.NaN;
    learner
        .progress()
        .asOneTask(
            "decision folds, loop " + loop,
            heldOut.length,
            "fits",
            task ->
                FoldRunner.forEach(
                    heldOut.length,
                    learner.concurrentFits(),
                    f -> {
                      if (loop > 0) {
                        List<SelfLabel> chosen =
                            selection.select(models[f], taken[f], temperature, loop);
                        taken[f].addAll(chosen);
                        selected.get(f).addAll(chosen);
                      }
                      TrainingSet heldOutSet = TrainingSet.labeled(heldOut[f]);
                      TrainingSet foldTrain = foldTraining(f);
                      foldRows[f] = foldTrain.size();
                      RewardLearner.Fit fit =
                          learner.fit(foldTrain, heldOutSet, seed + loop, warm ? models[f] : null);
                      bestEpochs[f] = fit.bestEpoch();
                      models[f] = fit.model();
                      foldMargins[f] = learner.rewards(models[f], heldOutSet).margins();
                      task.step(1);
                    }));
    boolean sampled = selected.stream().anyMatch(FoldSample::sampled);
    last =
        new OutOfFold(
            java.util.Arrays.stream(foldMargins)
                .flatMapToDouble(java.util.Arrays::stream)
                .toArray(),
            bestEpochs,
            java.util.Arrays.stream(foldRows).sum(),
            sampled);
    return last;
  }

  /** Fold f's training pairs: the other folds, and its self-labels or a sample of them. */
  private TrainingSet foldTraining(int f) {
    FoldSample self = selected.get(f);
    if (!self.sampled()) {
      return new TrainingSet(train[f], self.held(), config.selfLabelWeight());
    }
    return new TrainingSet(
        train[f], self.held(), config.selfLabelWeight() * self.total() / MAX_FOLD_SELF_LABELS);
  }

  private static final long POSITION = (1L << 24) - 1;

  /**
   * The draw of label {@code l} at {@code position} among a fold's picks: high bits a hash of the
   * comparison and {@code seed}, low 24 bits the position (which also breaks ties). A fold's sample
   * is its picks with the smallest draws ({@link FoldSample}): the same pairs whatever their order.
   */
  static long rank(SelfLabel l, long seed, long position) {
    if (position >= POSITION) {
      throw new IllegalStateException("more than " + POSITION + " self-labels in one fold");
    }
    return (mix(identity(l) ^ seed) & ~POSITION) | position;
  }

  private static long identity(SelfLabel l) {
    Comparison c = l.pair();
    return ((long) c.first().pair().key() << 33)
        ^ ((long) c.second().pair().key() << 2)
        ^ (c.first().isFirst() ? 2 : 0)
        ^ (c.second().isFirst() ? 1 : 0);
  }

  /** SplitMix64's finalizer: a well-spread hash of a long. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
