package org.ser4j.ser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.data.Prompt;
import org.ser4j.data.SourceRef;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.split.SeedSplit;
import org.ser4j.data.split.SerDataset;
import org.ser4j.model.Provenance;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.Comparison;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.model.learn.TrainingSet;
import org.ser4j.ser.select.CandidateSource;
import org.ser4j.ser.select.PairConfidence;
import org.ser4j.ser.select.SelectionOptions;
import org.ser4j.ser.select.SelectionRule;
import org.ser4j.ser.select.Taken;

/**
 * The loop's own rules, against a {@link FakeLearner} (no encoder, no training, no files but the
 * resume test's): which loop is kept and on ties, the stops, what each loop trains on, resume,
 * reviewers, calibration, and West-of-N candidates. End-to-end runs with real encoders are in
 * {@code EvolveTest} and {@code EvolveRegressionTest}.
 */
class SerLoopRulesTest {
  private static final long SEED = 100;
  @TempDir Path dir;

  /** 1,000 pairs, 200 labeled; pool pair gaps of quality 0.0 to 2.9 in steps of 0.1. */
  private static SerDataset data() {
    return FakeLearner.data(1000, 0.2, i -> (i % 30) * 0.05, i -> -(i % 30) * 0.05);
  }

  /** The paper's "amplify difference" rule alone, on the validation slice, no fold runs. */
  private static SerConfig slice() {
    return SerConfig.defaults()
        .withRule(SelectionRule.DIFFERENCE)
        .withDecisionFolds(0)
        .withSelfLabelWeight(1.0)
        .withMinNew(10)
        .withMaxLoops(4);
  }

  private static SerResult run(SerConfig config, FakeLearner learner) throws IOException {
    return run(config, learner, data(), null);
  }

  private static SerResult run(
      SerConfig config, FakeLearner learner, SerDataset data, RunStore store) throws IOException {
    return new SerLoop(
            config, SEED, store, Provenance.UNKNOWN, new PrintWriter(Writer.nullWriter()))
        .run(data, learner);
  }

  private static FakeLearner learner(IntToDoubleFunction accuracy, IntToDoubleFunction sharpness) {
    return new FakeLearner(SEED, accuracy, sharpness, Set.of());
  }

  /** A sharper RM each loop: each loop has new confident pairs. */
  private static final IntToDoubleFunction SHARPER = t -> 1 + t;

  @Test
  void keepsTheLaterLoopOnTiesOnASliceAndTheEarlierWithFolds() throws IOException {
    SerResult slice = run(slice().withMaxLoops(2), learner(t -> 0.7, SHARPER));
    assertEquals(3, slice.loops().size(), "no fall on equal accuracies");
    assertEquals(2, slice.keptLoop(), "a tie goes to the later loop");
    assertEquals(StopReason.MAX_LOOPS, slice.stopReason());

    SerResult folds = run(slice().withMaxLoops(2).withDecisionFolds(5), learner(t -> 0.7, SHARPER));
    assertEquals(3, folds.loops().size());
    assertEquals(0, folds.keptLoop(), "with folds a loop must beat the seed-only RM");
  }

  @Test
  void keepsTheBestJudgedLoopAndStopsWhenTheAccuracyFalls() throws IOException {
    double[] accuracy = {0.3, 0.9, 0.5, 0.95, 0.96};
    SerDataset data = data();
    SerResult r = run(slice(), learner(t -> accuracy[t], SHARPER), data, null);
    assertEquals(3, r.loops().size(), "loop 2 fell below loop 1: no loop 3");
    assertEquals(StopReason.VALIDATION_FELL, r.stopReason());
    assertEquals(1, r.keptLoop());
    // The judged figure is the model's accuracy on the validation slice, computed here apart.
    SeedSplit split = SeedSplit.of(data.labeled().size(), 0.1, SEED);
    for (int t = 0; t < 3; t++) {
      int right = 0;
      for (int p : split.validation()) {
        right += FakeLearner.right(p, accuracy[t]) ? 1 : 0;
      }
      assertEquals(
          (double) right / split.validation().length,
          r.loops().get(t).validationAccuracy(),
          1e-12,
          "loop " + t);
    }

    SerResult last = run(slice().withKeepLast(true), learner(t -> accuracy[t], SHARPER));
    assertEquals(5, last.loops().size(), "keep-last runs every loop");
    assertEquals(4, last.keptLoop());
  }

  @Test
  void stopsWhenALoopFindsTooFewNewPairs() throws IOException {
    SerDataset data = data();
    SerResult r = run(slice(), learner(t -> 0.7, t -> 1.0), data, null);
    assertEquals(2, r.loops().size(), "an RM that does not change has nothing new in loop 2");
    assertEquals(StopReason.fewNew(0, 10), r.stopReason());
    assertEquals("few-new (0 < 10)", r.stopReason().toString());
    // Loop 1 kept exactly the pool pairs whose answers' sigmoids differ by more than delta 0.3.
    long expected =
        data.pool().stream()
            .filter(
                p -> {
                  double s1 = sigmoid(FakeLearner.quality(p.first()));
                  double s2 = sigmoid(FakeLearner.quality(p.second()));
                  return Math.abs(s1 - s2) > 0.3;
                })
            .count();
    LoopReport loop1 = r.loops().get(1);
    assertTrue(expected > 10 && expected < data.pool().size(), "a partial selection: " + expected);
    assertEquals(expected, loop1.selected());
    assertEquals(1.0, loop1.selfLabelPrecision(), "the better answer always scores higher");
    assertEquals(data.pool().size() - expected, loop1.poolRemaining());
  }

  @Test
  void eachLoopTrainsOnTheSeedAndEverySelfLabelSoFarWarmFromTheLastModel() throws IOException {
    FakeLearner learner = learner(t -> 0.7, SHARPER);
    SerDataset data = data();
    SerResult r = run(slice().withKeepLast(true).withWarmStart(true), learner, data, null);
    SeedSplit split = SeedSplit.of(data.labeled().size(), 0.1, SEED);
    assertEquals(r.loops().size(), learner.fits.size(), "one fit a loop on a slice");
    int total = 0;
    for (int t = 0; t < r.loops().size(); t++) {
      FakeLearner.FitCall fit = learner.fits.get(t);
      LoopReport report = r.loops().get(t);
      total += report.selected();
      assertEquals(total, report.selectedTotal());
      assertEquals(total, fit.train().selfLabeled().size(), "loop " + t + ": every pair so far");
      assertTrue(java.util.Arrays.equals(split.train(), fit.train().labeled()), "the seed part");
      assertTrue(
          java.util.Arrays.equals(split.validation(), fit.validation().labeled()),
          "early-stopped on the slice");
      assertEquals(SEED + t, fit.seed());
      assertEquals(split.train().length + total, report.trainPairs());
      if (t == 0) {
        assertNull(fit.start(), "loop 0 starts from the pretrained weights");
      } else {
        assertEquals(t - 1, ((FakeLearner.Model) fit.start()).fit(), "warm from the last loop");
      }
    }
    assertEquals(r.loops().size() - 1, ((FakeLearner.Model) r.keptModel()).fit());
  }

  @Test
  void foldRunsJudgeAndTheMainFitTakesTheirMedianEpoch() throws IOException {
    FakeLearner learner = learner(t -> 0.7, SHARPER);
    SerResult r = run(slice().withDecisionFolds(5).withMaxLoops(1), learner, data(), null);
    assertEquals(2, r.loops().size());
    // Per loop: 5 fold fits on the held-out fold, then the main fit for a fixed epoch count.
    assertEquals(12, learner.fits.size());
    for (int t = 0; t < 2; t++) {
      List<FakeLearner.FitCall> loop = learner.fits.subList(6 * t, 6 * t + 6);
      for (int f = 0; f < 5; f++) {
        assertEquals(40, loop.get(f).validation().size(), "fold " + f + " holds out a fifth");
        assertEquals(160, loop.get(f).train().labeled().length);
      }
      assertEquals(200, loop.get(5).train().labeled().length, "the main fit: the whole seed");
      assertEquals(1, loop.get(5).epochs(), "the folds' median best epoch");
    }
    // The folds' own self-labels: each fold run selects from its own pool, as the main run does.
    assertEquals(r.loops().get(1).selected(), learner.fits.get(6).train().selfLabeled().size());
  }

  @Test
  void reviewersDropThePairsAnyReviewerReverses() throws IOException {
    SerDataset data = data();
    SerResult plain = run(slice().withMaxLoops(1), learner(t -> 0.7, t -> 1.0), data, null);
    // Dispute five pairs that loop 1 selects without reviewers.
    Set<String> disputed = new HashSet<>();
    List<UnlabeledPair> confident =
        data.pool().stream()
            .filter(
                p ->
                    Math.abs(
                            sigmoid(FakeLearner.quality(p.first()))
                                - sigmoid(FakeLearner.quality(p.second())))
                        > 0.3)
            .limit(5)
            .toList();
    confident.forEach(p -> disputed.add(p.first()));
    FakeLearner learner = new FakeLearner(SEED, t -> 0.7, t -> 1.0, disputed);
    SerConfig reviewed =
        slice().withMaxLoops(1).withSelection(new SelectionOptions(0.8, 0, 5, false, 3, false));
    SerResult r = run(reviewed, learner, data, null);
    assertEquals(plain.loops().get(1).selected() - 5, r.loops().get(1).selected());
    long reviewers =
        learner.fits.stream()
            .filter(f -> java.util.Arrays.stream(f.train().labeled()).distinct().count() < 180)
            .count();
    assertEquals(3, reviewers, "three reviewers, each on a bootstrap sample of the seed part");
  }

  @Test
  void pairConfidenceTemperatureComesFromTheJudgesPairs() throws IOException {
    SerDataset data = data();
    double[] accuracy = {0.8, 0.85, 0.9};
    SerConfig calibrated =
        slice()
            .withRule(SelectionRule.PAIR_CONFIDENCE)
            .withKeepLast(true)
            .withMaxLoops(1)
            .withSelection(new SelectionOptions(0.8, 0, 0, false, 0, false));
    SeedSplit split = SeedSplit.of(data.labeled().size(), 0.1, SEED);

    // On the slice: the loop-0 RM's margins on the validation pairs.
    SerResult onSlice = run(calibrated, learner(t -> accuracy[t], SHARPER), data, null);
    assertEquals(
        PairConfidence.fitTemperature(margins(split.validation(), accuracy[0])),
        onSlice.loops().get(1).diagnostics().temperature(),
        1e-6);

    // Calibration folds: models fitted as loop 1's is (so with loop 1's figures), out of fold.
    SerResult folds =
        run(
            calibrated.withSelection(new SelectionOptions(0.8, 0, 5, false, 0, false)),
            learner(t -> accuracy[t], SHARPER),
            data,
            null);
    assertEquals(
        PairConfidence.fitTemperature(margins(split.train(), accuracy[1])),
        folds.loops().get(1).diagnostics().temperature(),
        1e-6); // the optimizer's tolerance: the margins come in another order

    // Decision folds: the fold runs' out-of-fold margins of the last loop, over the whole seed.
    int[] all = java.util.stream.IntStream.range(0, data.labeled().size()).toArray();
    SerResult cv =
        run(calibrated.withDecisionFolds(5), learner(t -> accuracy[t], SHARPER), data, null);
    assertEquals(
        PairConfidence.fitTemperature(margins(all, accuracy[0])),
        cv.loops().get(1).diagnostics().temperature(),
        1e-6);
  }

  @Test
  void aResumedRunEndsAsAnUninterruptedOne(@TempDir Path other) throws IOException {
    SerConfig config = slice().withKeepLast(true).withMaxLoops(3);
    SerDataset data = data();
    SerResult whole = run(config, learner(t -> 0.6 + t / 10.0, SHARPER), data, new RunStore(dir));

    FakeLearner crashing = learner(t -> 0.6 + t / 10.0, SHARPER);
    crashing.failAtLoop = 2;
    RunStore store = new RunStore(other);
    assertThrows(IllegalStateException.class, () -> run(config, crashing, data, store));
    assertEquals(2, store.readLoops().size(), "loops 0 and 1 are on disk");
    FakeLearner resumed = learner(t -> 0.6 + t / 10.0, SHARPER);
    SerResult r = run(config, resumed, data, store);
    assertEquals(SEED + 2, resumed.fits.get(0).seed(), "the resumed run starts at loop 2");
    assertEquals(
        whole.loops().get(2).selectedTotal(),
        resumed.fits.get(0).train().selfLabeled().size(),
        "loop 1's self-labels read back, loop 2's selected anew");
    assertEquals(whole.loops().size(), r.loops().size());
    for (int t = 0; t < r.loops().size(); t++) {
      LoopReport a = whole.loops().get(t);
      LoopReport b = r.loops().get(t);
      assertEquals(a.selected(), b.selected(), "loop " + t);
      assertEquals(a.poolRemaining(), b.poolRemaining(), "loop " + t);
      assertEquals(a.validationAccuracy(), b.validationAccuracy(), "loop " + t);
    }
    assertEquals(whole.keptLoop(), r.keptLoop());
    assertEquals(whole.stopReason(), r.stopReason());
    assertTrue(Files.readString(other.resolve(RunStore.REPORT)).contains("\"finished\" : true"));

    FakeLearner again = learner(t -> 0.6, SHARPER);
    SerResult done = run(config, again, data, store);
    assertTrue(again.fits.isEmpty(), "a finished run trains nothing");
    assertEquals(whole.keptLoop(), done.keptLoop());
  }

  @Test
  void westOfNBuildsEachPromptsBestAgainstItsWorstWhereNoPairComparesThem() throws IOException {
    List<UnlabeledPair> pool = new ArrayList<>();
    // Prompt p: a > b > c; the pairs compare a-b and b-c, so a-c is built.
    pool.add(pair(pool, "p", 3, 2));
    pool.add(pair(pool, "p", 2, 1));
    // Prompt q: two answers only.
    pool.add(pair(pool, "q", 1, 0));
    // Prompt r: three answers, and a pair already compares its best and worst.
    pool.add(pair(pool, "r", 3, 2));
    pool.add(pair(pool, "r", 2, 1));
    pool.add(pair(pool, "r", 1, 3));
    FakeLearner learner = learner(t -> 0.7, t -> 1.0);
    TrainedModel model = learner.fit(TrainingSet.none(), TrainingSet.none(), SEED, null).model();
    Taken taken = new Taken();
    CandidateSource.Candidates c = CandidateSource.westOfN().score(learner, model, pool, taken);
    assertEquals(7, c.comparisons().size(), "six pool pairs and one built");
    Comparison built = c.comparisons().get(6);
    assertTrue(built.built());
    assertEquals(3, FakeLearner.quality(built.first().text()), 0);
    assertEquals(1, FakeLearner.quality(built.second().text()), 0);
    assertEquals(
        "p", built.prompt().transcript().substring(built.prompt().transcript().length() - 1));
    assertEquals(3, c.rewards().chosen()[6], 0);
    assertEquals(1, c.rewards().rejected()[6], 0);
    assertEquals(6, c.poolPairs().size(), "the pool's scale from its own pairs");
    assertEquals(6, c.poolLeft());

    // Once a pair was built for p and pair 0 was labeled, neither comes again.
    taken.add(SelfLabel.of(built, 0.9, 0.1, 1));
    taken.add(SelfLabel.of(pool.get(0), 0.9, 0.1, 1));
    CandidateSource.Candidates next = CandidateSource.westOfN().score(learner, model, pool, taken);
    assertEquals(5, next.comparisons().size());
    assertFalse(next.comparisons().stream().anyMatch(Comparison::built));
    assertSame(pool.get(1), next.comparisons().get(0).first().pair());
  }

  private static UnlabeledPair pair(List<UnlabeledPair> pool, String prompt, double a, double b) {
    int key = pool.size();
    return new UnlabeledPair(
        key,
        "u" + key,
        Prompt.of(prompt),
        FakeLearner.answer(a, prompt),
        FakeLearner.answer(b, prompt),
        new SourceRef("fake", key + 1));
  }

  private static double[] margins(int[] positions, double accuracy) {
    double[] m = new double[positions.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = FakeLearner.right(positions[i], accuracy) ? 1 : -1;
    }
    return m;
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Test
  void theConfigChecksItsOwnRanges() {
    SerConfig ok = SerConfig.defaults();
    for (Runnable bad :
        List.<Runnable>of(
            () -> ok.withDecisionFolds(1),
            () -> ok.withDecisionFolds(-2),
            () -> ok.withSelfLabelWeight(0.0),
            () -> ok.withSelfLabelWeight(1.5),
            () -> ok.withMinNew(0),
            () -> ok.withMaxLoops(-1),
            () -> ok.withValidationFraction(1.0))) {
      assertThrows(IllegalArgumentException.class, bad::run);
    }
  }

  @Test
  void theFullLabelRmIsJudgedAsTheLoopsAre() throws IOException {
    SerDataset data = data();
    FakeLearner slice = learner(t -> 0.7, t -> 1.0);
    slice.load(data);
    Baselines.fullLabels(data, slice, slice(), SEED);
    assertEquals(1, slice.fits.size(), "one fit, early-stopped on the validation slice");
    assertEquals(20, slice.fits.get(0).validation().size());
    assertEquals(data.pool().size(), slice.fits.get(0).train().selfLabeled().size());

    FakeLearner folds = learner(t -> 0.7, t -> 1.0);
    folds.load(data);
    Baselines.fullLabels(data, folds, slice().withDecisionFolds(5), SEED);
    assertEquals(6, folds.fits.size(), "five fold fits, then one on everything");
    for (int f = 0; f < 5; f++) {
      assertEquals(40, folds.fits.get(f).validation().size());
      assertEquals(160, folds.fits.get(f).train().labeled().length);
      assertEquals(data.pool().size(), folds.fits.get(f).train().selfLabeled().size());
    }
    FakeLearner.FitCall last = folds.fits.get(5);
    assertEquals(200, last.train().labeled().length);
    assertEquals(1, last.epochs(), "the folds' median best epoch");
    // Gold labels, not the RM's: every pool pair oriented as the hidden labels say.
    for (SelfLabel g : last.train().selfLabeled()) {
      assertEquals(Boolean.TRUE, g.right(data.gold()));
    }
  }

  /** A loop's report with only what the keep rule reads: its status and judged accuracy. */
  private static LoopReport judged(int loop, org.ser4j.ser.select.LoopStatus status, double acc) {
    return new LoopReport(
        loop, status, "-", 0, 0, null, 0, 0, 0, 0, acc, null, 0, 0, null, null, null, null);
  }

  @Test
  void loopsAfterPeopleAddLabelsAreJudgedAmongThemselves() {
    var seed = org.ser4j.ser.select.LoopStatus.SEED;
    var self = org.ser4j.ser.select.LoopStatus.GOOD_BAD;
    var added = org.ser4j.ser.select.LoopStatus.LABELS_ADDED;
    SerConfig config = slice();
    // The earlier phase's 0.85 was measured on a smaller seed: it neither wins nor stops the run.
    List<LoopReport> loops =
        List.of(
            judged(0, seed, 0.80),
            judged(1, self, 0.85),
            judged(2, added, 0.70),
            judged(3, self, 0.72));
    assertEquals(2, KeepRule.phaseStart(loops));
    assertEquals(3, KeepRule.kept(loops, config));
    assertFalse(KeepRule.fell(loops, config, true));
    // Within the phase the rules hold as before: a fall below its own loops stops the run.
    List<LoopReport> fell = new ArrayList<>(loops);
    fell.add(judged(4, self, 0.71));
    assertTrue(KeepRule.fell(fell, config, true));
    assertEquals(3, KeepRule.kept(fell, config));
    // Without added labels the whole run is one phase.
    assertEquals(0, KeepRule.phaseStart(loops.subList(0, 2)));
    assertEquals(1, KeepRule.kept(loops.subList(0, 2), config));
  }

  @Test
  void foldFitsTrainOnABoundedSampleOfTheirSelfLabelsWeightedUpToAll() throws IOException {
    // 60,000 pairs, 6,000 labeled: each fold run selects more than the bound in loop 1.
    SerDataset big = FakeLearner.data(60_000, 0.1, i -> (i % 30) * 0.05, i -> -(i % 30) * 0.05);
    FakeLearner learner = learner(t -> 0.7, SHARPER);
    SerConfig config = slice().withDecisionFolds(5).withMaxLoops(1).withSelfLabelWeight(0.5);
    SerResult r = run(config, learner, big, null);
    assertEquals(2, r.loops().size());
    List<FakeLearner.FitCall> loop1 = learner.fits.subList(6, 12);
    int selectedByMain = r.loops().get(1).selected();
    assertTrue(selectedByMain > FoldJudge.MAX_FOLD_SELF_LABELS, "selected " + selectedByMain);
    for (int f = 0; f < 5; f++) {
      TrainingSet t = loop1.get(f).train();
      assertEquals(FoldJudge.MAX_FOLD_SELF_LABELS, t.selfLabeled().size(), "fold " + f);
      // Weighted up: the sample stands for all the fold's self-labels (as many as the main run's).
      assertEquals(
          0.5 * selectedByMain / FoldJudge.MAX_FOLD_SELF_LABELS, t.selfLabelWeight(), 1e-9);
    }
    assertEquals(selectedByMain, loop1.get(5).train().selfLabeled().size(), "the main fit: all");
    assertEquals(0.5, loop1.get(5).train().selfLabelWeight());
  }

  /**
   * A fold run keeps its sample as its picks arrive, loop after loop (holding at most the bound):
   * after every loop it is what {@link #drawn} draws from all the picks so far at once, or all of
   * them while they are within the bound.
   */
  @Test
  void aFoldSampleKeptAsPicksArriveIsTheSampleOfAllThePicks() {
    List<SelfLabel> labels = new ArrayList<>();
    for (UnlabeledPair p : data().pool()) {
      labels.add(SelfLabel.of(p, p.key() % 3 == 0 ? 2 : 1, 0, 1));
    }
    assertTrue(labels.size() > 400, "pool " + labels.size());
    FoldSample kept = new FoldSample(100, 11, ArrayList::new);
    int[] loops = {37, 0, 50, 1, 150, labels.size() - 238};
    int from = 0;
    for (int n : loops) {
      kept.addAll(labels.subList(from, from + n));
      from += n;
      List<SelfLabel> soFar = labels.subList(0, from);
      assertEquals(from, kept.total());
      assertEquals(from > 100, kept.sampled());
      assertEquals(
          from <= 100 ? soFar : drawn(soFar, 100, 11), kept.held(), "after " + from + " picks");
    }
  }

  /** A fold's sample of {@code labels} picked in one loop. */
  private static List<SelfLabel> sampleOf(List<SelfLabel> labels, int n, long seed) {
    FoldSample s = new FoldSample(n, seed, ArrayList::new);
    s.addAll(labels);
    return s.held();
  }

  /** The same draw computed at once: the {@code n} smallest draws of all, in the list's order. */
  private static List<SelfLabel> drawn(List<SelfLabel> labels, int n, long seed) {
    long[] ranked = new long[labels.size()];
    for (int i = 0; i < ranked.length; i++) {
      ranked[i] = FoldJudge.rank(labels.get(i), seed, i);
    }
    java.util.Arrays.sort(ranked);
    int[] keep = new int[n];
    for (int i = 0; i < n; i++) {
      keep[i] = (int) (ranked[i] & ((1L << 24) - 1));
    }
    java.util.Arrays.sort(keep);
    List<SelfLabel> out = new ArrayList<>(n);
    for (int i : keep) {
      out.add(labels.get(i));
    }
    return out;
  }

  @Test
  void theFoldSampleIsSeededAndIndependentOfOrder() {
    SerDataset d = data();
    List<SelfLabel> labels = new ArrayList<>();
    for (UnlabeledPair p : d.pool()) {
      labels.add(SelfLabel.of(p, 1, 0, 1));
    }
    List<SelfLabel> a = sampleOf(labels, 100, 7);
    assertEquals(100, a.size());
    assertEquals(100, new HashSet<>(a).size());
    assertEquals(a, sampleOf(labels, 100, 7), "the same seed, the same sample");
    assertFalse(a.equals(sampleOf(labels, 100, 8)), "another seed, another sample");
    List<SelfLabel> reversed = new ArrayList<>(labels);
    java.util.Collections.reverse(reversed);
    assertEquals(new HashSet<>(a), new HashSet<>(sampleOf(reversed, 100, 7)));
    // In the list's order.
    for (int i = 1; i < a.size(); i++) {
      assertTrue(labels.indexOf(a.get(i - 1)) < labels.indexOf(a.get(i)));
    }
    // Not the first 100: drawn across the list.
    assertTrue(labels.indexOf(a.get(a.size() - 1)) > 400);
  }

  @Test
  void aSampledJudgeGivesTheMainFitTheFoldsStepsNotTheirEpochs() {
    int[] best = {6, 8, 8, 10, 12};
    FoldJudge.OutOfFold whole = new FoldJudge.OutOfFold(new double[0], best, 5 * 10_000, false);
    assertEquals(8, whole.mainEpochs(100_000), "unsampled: the median epoch, as before");
    // Each fold trained on 10,000 rows for 8 epochs: 80,000 steps' worth of rows; the main fit on
    // 40,000 rows gets 2 epochs, never more than the median, never fewer than 1.
    FoldJudge.OutOfFold sampled = new FoldJudge.OutOfFold(new double[0], best, 5 * 10_000, true);
    assertEquals(2, sampled.mainEpochs(40_000));
    assertEquals(8, sampled.mainEpochs(1_000));
    assertEquals(1, sampled.mainEpochs(10_000_000));
  }
}
