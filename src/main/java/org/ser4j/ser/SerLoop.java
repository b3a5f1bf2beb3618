package org.ser4j.ser;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ser4j.data.GoldLabels;
import org.ser4j.data.SerDataset;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.model.Loss;
import org.ser4j.model.PairRewards;
import org.ser4j.model.Provenance;
import org.ser4j.model.TrainedModel;

/**
 * Self-Evolved Reward Learning (Huang et al., ICLR 2025), for any {@link RewardLearner}: Loop 0
 * trains an RM on the labeled seed; each further loop lets the RM score the unlabeled pool, keeps
 * the pairs it is confident about (labeled with its own preference), and retrains on the seed plus
 * every pair kept so far. Stops when a loop keeps fewer than {@code minNew} pairs, when validation
 * accuracy falls, or after {@code maxLoops}. With a {@link RunStore}, each loop is saved and an
 * interrupted run resumes after its last saved loop with the same result.
 */
public final class SerLoop {
  private final SerConfig config;
  private final long seed;
  private final RunStore store;
  private final Provenance provenance;
  private final PrintWriter log;
  private final Selector selector;
  private FoldRuns folds; // with cross-validated decisions

  /**
   * @param store the run directory (null: nothing saved, no resume)
   * @param provenance what every loop's model is stamped with (its loop and pair count filled in)
   */
  public SerLoop(
      SerConfig config, long seed, RunStore store, Provenance provenance, PrintWriter log) {
    this.config = config;
    this.seed = seed;
    this.store = store;
    this.provenance = provenance;
    this.log = log;
    this.selector = new Selector(config.thresholds());
  }

  /** Runs (or resumes) SER on {@code data} with {@code learner}. */
  public SerResult run(SerDataset data, RewardLearner learner) throws IOException {
    learner.load(data);
    SeedSplit split =
        config.crossValidated()
            ? SeedSplit.whole(data.labeled().size())
            : SeedSplit.of(data.labeled().size(), config.validationFraction(), seed);
    TrainingSet validation = TrainingSet.labeled(split.validation());
    double seedLonger = seedLongerShare(data, split); // the same seed every loop
    folds =
        config.crossValidated()
            ? new FoldRuns(
                config,
                seed,
                provenance,
                data,
                split.train(),
                (foldLearner, foldTaken, temperature, loop) -> {
                  List<SelfLabel> picked =
                      confident(
                              foldLearner,
                              data.pool(),
                              foldTaken,
                              TrainingSet.none(),
                              () -> temperature,
                              loop,
                              false)
                          .selected();
                  return config.selection().balanceLength()
                      ? LengthBalance.match(picked, seedLonger)
                      : picked;
                })
            : null;
    List<LoopReport> loops = new ArrayList<>(store == null ? List.of() : store.readLoops());
    List<SelfLabel> selectedSoFar = new ArrayList<>();
    Taken taken = new Taken();
    List<TrainedModel> models = new ArrayList<>();
    if (loops.isEmpty()) {
      models.add(
          train(
              0,
              learner,
              TrainingSet.labeled(split.train()),
              validation,
              new Selection("seed", "-", List.of(), 0, null, data.pool().size(), null),
              loops,
              System.nanoTime()));
    } else {
      for (int loop = 1; loop < loops.size(); loop++) {
        for (RunStore.SavedLabel s : store.readSelected(loop)) {
          SelfLabel label =
              new SelfLabel(
                  s.comparison(data.pool()::get), s.firstPreferred(), Double.NaN, Double.NaN, loop);
          taken.add(label);
          selectedSoFar.add(label);
        }
      }
      int last = loops.size() - 1;
      log.printf(
          store.finished()
              ? "%2$s already finished after loop %1$d%n"
              : "resuming after loop %d of %s%n",
          last,
          store.dir());
      if (store.finished()) {
        int best = finalLoop(loops, config);
        return new SerResult(loops, best, store.stopReason(), store.loadModel(best));
      }
      if (folds != null) { // the fold runs are not saved: run them again up to here
        for (int loop = 0; loop <= last; loop++) {
          folds.advance(learner, loop);
        }
      }
      learner.restore(store.loadModel(last));
      logLoop(loops.get(last));
    }

    String stop = "max-loops";
    // A run stopped by a fall that crashed before its closing report stops again on resume.
    boolean fell = validationFell(loops, validation);
    for (int loop = loops.size(); loop <= config.maxLoops() && !fell; loop++) {
      long t0 = System.nanoTime();
      int current = loop;
      Confident confident =
          confident(
              learner,
              data.pool(),
              taken,
              validation,
              () -> calibrate(learner, split, selectedSoFar, validation, current),
              loop,
              true);
      SelectionRule rule = confident.rule();
      Double temperature = confident.temperature();
      List<SelfLabel> selected = confident.selected();
      if (config.selection().reviewers() >= 2 && !selected.isEmpty()) {
        selected = reviewed(learner, split, selectedSoFar, validation, selected, seed + loop);
      }
      if (config.selection().balanceLength()) {
        selected = LengthBalance.match(selected, seedLonger);
      }
      if (selected.size() < config.minNew()) {
        log.printf(
            "loop %d: %d new confident pairs, fewer than %d: stop%n",
            loop, selected.size(), config.minNew());
        stop = "few-new (" + selected.size() + " < " + config.minNew() + ")";
        break;
      }
      taken.addAll(selected);
      selectedSoFar.addAll(selected);
      int poolLeft =
          confident.poolLeft() - (int) selected.stream().filter(s -> !s.pair().built()).count();
      Selection selection =
          new Selection(
              rule == SelectionRule.PAIR_CONFIDENCE ? "pair-confidence" : selector.status(selected),
              rule.cliName(),
              selected,
              selectedSoFar.size(),
              precision(selected, data.gold()),
              poolLeft,
              LoopDiagnostics.of(
                  selected, data.gold(), temperature, seedLonger, config.selection().westOfN()));
      models.add(
          train(
              loop,
              learner,
              new TrainingSet(split.train(), selectedSoFar, config.selfLabelWeight()),
              validation,
              selection,
              loops,
              t0));
      fell = validationFell(loops, validation);
    }
    if (fell) {
      stop = "validation-fell";
    }
    writeReport(loops, stop, true, learner);
    int best = finalLoop(loops, config);
    String cache = learner.cacheSummary();
    if (cache != null) {
      log.println(cache);
    }
    // A resumed run holds only the models it trained itself; the saved ones are identical.
    return new SerResult(
        loops, best, stop, store != null ? store.loadModel(best) : models.get(best));
  }

  /** Whether the last loop's validation accuracy fell below an earlier loop's (a stop). */
  private boolean validationFell(List<LoopReport> loops, TrainingSet validation) {
    if (config.keepLast() || (validation.size() == 0 && !config.crossValidated())) {
      return false;
    }
    double last = loops.get(loops.size() - 1).validationAccuracy();
    return loops.subList(0, loops.size() - 1).stream().anyMatch(l -> last < l.validationAccuracy());
  }

  /** What a loop selected, for its report. */
  private record Selection(
      String status,
      String rule,
      List<SelfLabel> selected,
      int total,
      Double precision,
      int poolLeft,
      LoopDiagnostics diagnostics) {}

  /**
   * What a loop's RM is confident about, the rule that chose it, pair-confidence's T, and how many
   * pool pairs were left to choose from.
   */
  private record Confident(
      List<SelfLabel> selected, SelectionRule rule, Double temperature, int poolLeft) {}

  /** Where pair-confidence's temperature comes from, asked only when the rule needs it. */
  private interface Calibration {
    double temperature() throws IOException;
  }

  /**
   * The comparisons the current RM is confident about under the configured rule ({@code auto}
   * resolved on {@code validation}, or good-bad without one), before any second opinion or length
   * balance: the pool pairs not yet {@code taken}, then, with West-of-N, each prompt's best against
   * its worst answer where no pair was built for the prompt yet.
   */
  private Confident confident(
      RewardLearner learner,
      List<UnlabeledPair> pool,
      Taken taken,
      TrainingSet validation,
      Calibration calibration,
      int loop,
      boolean logScale)
      throws IOException {
    boolean westOfN = config.selection().westOfN();
    // One scoring: the pairs left, and with West-of-N every pair of a prompt not yet built for.
    List<UnlabeledPair> scoredPairs = new ArrayList<>();
    List<Integer> left = new ArrayList<>();
    List<Integer> open = new ArrayList<>();
    for (UnlabeledPair p : pool) {
      boolean isLeft = !taken.has(p);
      boolean isOpen = westOfN && !taken.builtFor(p);
      if (isLeft) {
        left.add(scoredPairs.size());
      }
      if (isOpen) {
        open.add(scoredPairs.size());
      }
      if (isLeft || isOpen) {
        scoredPairs.add(p);
      }
    }
    PairRewards scored = learner.poolRewards(scoredPairs);
    int[] leftAt = left.stream().mapToInt(Integer::intValue).toArray();
    PairRewards plain = westOfN ? scored.select(leftAt) : scored;
    // The pool's scale is read from its pairs alone: built pairs repeat answers.
    Selector scaled = selector.scaledFor(config.scale(), plain.chosen(), plain.rejected());
    List<Comparison> candidates = new ArrayList<>(leftAt.length);
    for (int i : leftAt) {
      candidates.add(Comparison.of(scoredPairs.get(i)));
    }
    PairRewards r = plain;
    if (westOfN) {
      int[] openAt = open.stream().mapToInt(Integer::intValue).toArray();
      WestOfN.Built built =
          WestOfN.build(
              java.util.Arrays.stream(openAt).mapToObj(scoredPairs::get).toList(),
              scored.select(openAt));
      candidates.addAll(built.comparisons());
      r = plain.concat(new PairRewards(built.best(), built.worst()));
    }
    if (logScale && config.scale() == ConfidenceScale.POOL) {
      log.printf(
          Locale.ROOT,
          "loop %d: pool rewards mean %.4f, std %.4f: s = sigmoid((r - mean) / std)%n",
          loop,
          scaled.center(),
          scaled.spread());
    }
    SelectionRule rule = config.rule();
    if (rule == SelectionRule.AUTO) {
      rule =
          validation.size() > 0
              ? scaled.resolveAuto(learner.rewards(validation))
              : SelectionRule.GOOD_BAD;
    }
    if (rule != SelectionRule.PAIR_CONFIDENCE) {
      return new Confident(
          scaled.select(candidates, r.chosen(), r.rejected(), rule, loop),
          rule,
          null,
          leftAt.length);
    }
    PairConfidence pc = new PairConfidence(calibration.temperature());
    List<SelfLabel> selected =
        pc.select(
            candidates,
            r.chosen(),
            r.rejected(),
            config.selection().minConfidence(),
            config.selection().targetPrecision(),
            loop);
    return new Confident(selected, rule, pc.temperature(), leftAt.length);
  }

  /**
   * The temperature that makes P = sigmoid(margin / T) calibrated for the current RM (loop {@code
   * loop - 1}'s): fitted on out-of-fold margins of the seed's training part (each fold scored by a
   * model fitted, as the current one was, on the other folds and the self-labels so far), or on the
   * validation slice with no folds; with cross-validated decisions, on the fold runs' last
   * out-of-fold margins. The current model is restored afterwards.
   */
  private double calibrate(
      RewardLearner learner,
      SeedSplit split,
      List<SelfLabel> selectedSoFar,
      TrainingSet validation,
      int loop)
      throws IOException {
    if (folds != null) {
      return folds.temperature();
    }
    if (Math.min(config.selection().calibrationFolds(), split.train().length) < 2) {
      return PairConfidence.fitTemperature(learner.rewards(validation).margins());
    }
    return PairConfidence.fitTemperature(
        outOfFoldMargins(learner, split.train(), selectedSoFar, validation, loop));
  }

  /**
   * Scores each calibration fold of {@code positions} (drawn by the seed and {@code loop}) with a
   * model fitted, as loop {@code loop}'s RM is, on the other folds plus {@code selfLabels},
   * early-stopped on {@code validation}. The current model is restored afterwards.
   */
  private double[] outOfFoldMargins(
      RewardLearner learner,
      int[] positions,
      List<SelfLabel> selfLabels,
      TrainingSet validation,
      int loop)
      throws IOException {
    FoldRuns.Folds dealt =
        FoldRuns.Folds.of(positions, config.selection().calibrationFolds(), seed + loop);
    TrainedModel current = learner.model(provenance);
    List<Double> margins = new ArrayList<>();
    learner
        .progress()
        .asOneTask(
            "calibration folds",
            dealt.size(),
            "fits",
            task -> {
              for (int f = 0; f < dealt.size(); f++) {
                TrainingSet train =
                    new TrainingSet(dealt.others(f), selfLabels, config.selfLabelWeight());
                learner.fit(train, validation, seed + loop, false);
                for (double m :
                    learner.rewards(TrainingSet.labeled(dealt.heldOut()[f])).margins()) {
                  margins.add(m);
                }
                task.step(1);
              }
            });
    learner.restore(current);
    return margins.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * The second opinion: {@code selected} without the pairs where any of the reviewers (RMs fitted
   * on bootstrap samples of the seed's training part, plus the self-labels so far) prefers the
   * other answer. The current model is restored afterwards.
   */
  private List<SelfLabel> reviewed(
      RewardLearner learner,
      SeedSplit split,
      List<SelfLabel> selectedSoFar,
      TrainingSet validation,
      List<SelfLabel> selected,
      long reviewSeed)
      throws IOException {
    TrainedModel current = learner.model(provenance);
    TrainingSet asLabeled = new TrainingSet(new int[0], selected);
    boolean[] agree = new boolean[selected.size()];
    java.util.Arrays.fill(agree, true);
    java.util.Random random = new java.util.Random(reviewSeed * 131 + 7);
    int n = split.train().length;
    learner
        .progress()
        .asOneTask(
            "reviewers",
            config.selection().reviewers(),
            "fits",
            task -> {
              for (int k = 0; k < config.selection().reviewers(); k++) {
                int[] sample = new int[n];
                for (int i = 0; i < n; i++) {
                  sample[i] = split.train()[random.nextInt(n)];
                }
                TrainingSet train =
                    new TrainingSet(sample, selectedSoFar, config.selfLabelWeight());
                learner.fit(train, validation, reviewSeed + k, false);
                PairRewards r = learner.rewards(asLabeled);
                for (int i = 0; i < agree.length; i++) {
                  agree[i] &= r.chosen()[i] > r.rejected()[i];
                }
                task.step(1);
              }
            });
    learner.restore(current);
    List<SelfLabel> out = new ArrayList<>();
    for (int i = 0; i < agree.length; i++) {
      if (agree[i]) {
        out.add(selected.get(i));
      }
    }
    return out;
  }

  /** The share of the seed's training pairs whose chosen answer is the longer one. */
  private static double seedLongerShare(SerDataset data, SeedSplit split) {
    int longer = 0;
    for (int i : split.train()) {
      var p = data.labeled().get(i);
      longer += LengthBalance.chosenLonger(p.chosen(), p.rejected()) ? 1 : 0;
    }
    return split.train().length == 0 ? Double.NaN : (double) longer / split.train().length;
  }

  /**
   * Fits loop {@code loop}'s RM, reports and saves it (selections, model, then report.json), logs
   * it; returns the model.
   */
  private TrainedModel train(
      int loop,
      RewardLearner learner,
      TrainingSet train,
      TrainingSet validation,
      Selection s,
      List<LoopReport> loops,
      long t0)
      throws IOException {
    boolean warm = loop > 0 && config.warmStart();
    RewardLearner.Fit fit;
    Loss.Evaluation judged; // what loops are judged by: validation slice or out-of-fold seed
    if (folds != null) {
      TrainedModel start = warm ? learner.model(provenance) : null;
      FoldRuns.OutOfFold cv = folds.advance(learner, loop);
      if (start != null) {
        learner.restore(start);
      }
      fit = learner.fitEpochs(train, cv.medianEpoch(), seed + loop, warm);
      judged = cv.evaluation();
    } else {
      fit = learner.fit(train, validation, seed + loop, warm);
      double loss = fit.best().validationLoss();
      judged = new Loss.Evaluation(loss, learner.rewards(validation).accuracy());
    }
    LoopReport report =
        new LoopReport(
            loop,
            s.status(),
            s.rule(),
            s.selected().size(),
            s.total(),
            s.precision(),
            s.poolLeft(),
            train.size(),
            fit.best().trainLoss(),
            Double.isNaN(judged.loss()) ? 0 : judged.loss(),
            judged.accuracy(),
            learner.testRewards().accuracy(),
            fit.bestEpoch(),
            (System.nanoTime() - t0) / 1e9,
            s.diagnostics());
    // Measured before the snapshot, as the runs recorded before the one-loop change were: taking
    // a fine-tuned network's weights marks them as trainable again, which moves its next scores in
    // the last bits.
    TrainedModel model = learner.model(provenance.forLoop(loop, train.size()));
    loops.add(report);
    if (store != null) {
      store.saveLoop(loop, model, s.selected());
      writeReport(loops, null, false, learner);
    }
    logLoop(report);
    return model;
  }

  /**
   * The share of {@code selected} that agrees with the hidden human labels, of those the pool
   * decides (every plain pair; a built pair where two labels chain); null when it decides none.
   */
  static Double precision(List<SelfLabel> selected, GoldLabels gold) {
    int decided = 0;
    int right = 0;
    for (SelfLabel s : selected) {
      Boolean r = s.right(gold);
      if (r != null) {
        decided++;
        right += r ? 1 : 0;
      }
    }
    return decided == 0 ? null : (double) right / decided;
  }

  /**
   * The loop whose RM is kept: the last with {@code keepLast}, else the highest validation
   * accuracy; on ties the later loop, or, with cross-validated decisions, the earlier (a loop must
   * beat the seed-only RM on the seed to replace it).
   */
  static int finalLoop(List<LoopReport> loops, SerConfig config) {
    if (config.keepLast()) {
      return loops.size() - 1;
    }
    int best = 0;
    for (int i = 1; i < loops.size(); i++) {
      double a = loops.get(i).validationAccuracy();
      double b = loops.get(best).validationAccuracy();
      if (config.crossValidated() ? a > b : !(a < b)) {
        best = i;
      }
    }
    return best;
  }

  /** report.json: every loop so far, the kept loop, why it stopped, the training mode. */
  private void writeReport(
      List<LoopReport> loops, String stop, boolean finished, RewardLearner learner)
      throws IOException {
    if (store == null) {
      return;
    }
    ObjectNode report = RunStore.JSON.createObjectNode();
    report.put("finished", finished);
    if (stop != null) {
      report.put("stop_reason", stop);
    }
    report.put("final_loop", finalLoop(loops, config));
    report.put("finetune", learner.finetune());
    report.set("loops", RunStore.JSON.valueToTree(loops));
    store.writeReport(report);
  }

  private void logLoop(LoopReport r) {
    log.printf(
        Locale.ROOT,
        "loop %d [%s, rule %s]: selected %d%s (total %d, precision %s), pool left %d, train pairs %d, validation %.4f, test %.4f, %.1fs%n",
        r.loop(),
        r.status(),
        r.rule(),
        r.selected(),
        r.diagnostics() == null || r.diagnostics().builtPairs() == null
            ? ""
            : " of which " + r.diagnostics().builtPairs() + " built",
        r.selectedTotal(),
        r.selfLabelPrecision() == null
            ? "-"
            : String.format(Locale.ROOT, "%.3f", r.selfLabelPrecision()),
        r.poolRemaining(),
        r.trainPairs(),
        r.validationAccuracy(),
        r.testAccuracy(),
        r.seconds());
    log.flush();
  }
}
