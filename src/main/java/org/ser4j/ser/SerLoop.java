package org.ser4j.ser;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.split.SeedSplit;
import org.ser4j.data.split.SerDataset;
import org.ser4j.model.PairRewards;
import org.ser4j.model.Provenance;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.model.learn.TrainingSet;
import org.ser4j.ser.select.CandidateSource;
import org.ser4j.ser.select.LengthBalance;
import org.ser4j.ser.select.LoopStatus;
import org.ser4j.ser.select.PairSelection;
import org.ser4j.ser.select.Reviewers;
import org.ser4j.ser.select.SelectionRule;
import org.ser4j.ser.select.SelfLabelFilter;
import org.ser4j.ser.select.Taken;

/**
 * Self-Evolved Reward Learning (Huang et al., ICLR 2025), for any {@link RewardLearner}: Loop 0
 * trains an RM on the labeled seed; each further loop scores the candidates ({@link
 * CandidateSource}), keeps those the RM is confident about, labeled with its own preference ({@link
 * PairSelection}), takes a second look ({@link SelfLabelFilter}), and retrains on the seed plus
 * every pair kept so far ({@link LoopJudge}, which also judges the loop). Stops when a loop keeps
 * fewer than {@code minNew} pairs, when the judged accuracy falls, or after {@code maxLoops}
 * ({@link KeepRule}). With a {@link RunStore}, each loop is saved and an interrupted run resumes
 * after its last saved loop with the same result.
 */
public final class SerLoop {
  private final SerConfig config;
  private final long seed;
  private final RunStore store;
  private final Provenance provenance;
  private final PrintWriter log;
  private final CandidateSource candidates;
  private final PairSelection selection;

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
    this.candidates = CandidateSource.of(config.selection());
    this.selection =
        config.rule() == SelectionRule.PAIR_CONFIDENCE
            ? PairSelection.calibrated(config.selection())
            : PairSelection.thresholds(config.rule(), config.thresholds(), config.scale());
  }

  /** Runs (or resumes) SER on {@code data} with {@code learner}. */
  public SerResult run(SerDataset data, RewardLearner learner) throws IOException {
    learner.load(data);
    SeedSplit split =
        config.crossValidated()
            ? SeedSplit.whole(data.labeled().size())
            : SeedSplit.of(data.labeled().size(), config.validationFraction(), seed);
    double seedLonger = LengthBalance.chosenLongerShare(data.labeled(), split.train());
    List<SelfLabelFilter> filters = new ArrayList<>();
    if (config.selection().reviewers() >= 2) {
      filters.add(
          new Reviewers(
              learner,
              config.selection().reviewers(),
              split.train(),
              TrainingSet.labeled(split.validation()),
              config.selfLabelWeight(),
              seed));
    }
    if (config.selection().balanceLength()) {
      filters.add(SelfLabelFilter.lengthBalance(seedLonger));
    }
    LoopJudge judge =
        config.crossValidated()
            ? new FoldJudge(
                learner,
                config,
                seed,
                split.train(),
                (model, taken, temperature, loop) -> {
                  // A fold run selects as the main run does, without its reviewers.
                  List<SelfLabel> picked =
                      select(learner, data, model, taken, foldContext(loop, temperature))
                          .picked()
                          .selected();
                  return config.selection().balanceLength()
                      ? LengthBalance.match(picked, seedLonger)
                      : picked;
                })
            : new SliceJudge(learner, config, seed, split);
    List<LoopListener> listeners = new ArrayList<>();
    if (store != null) {
      listeners.add(store.listener(config, learner.finetune()));
    }
    listeners.add(new LoopLog(log, store, learner));

    List<LoopReport> loops = new ArrayList<>(store == null ? List.of() : store.readLoops());
    List<SelfLabel> selectedSoFar = new ArrayList<>();
    Taken taken = new Taken();
    List<TrainedModel> models = new ArrayList<>(); // the models this process trained
    TrainedModel current;
    if (loops.isEmpty()) {
      LoopSelection seedOnly =
          new LoopSelection(LoopStatus.SEED, "-", List.of(), 0, null, data.pool().size(), null);
      Trained t =
          train(
              0,
              learner,
              judge,
              TrainingSet.labeled(judge.train()),
              null,
              seedOnly,
              loops,
              listeners,
              System.nanoTime());
      current = t.model();
      models.add(t.stamped());
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
      boolean finished = store.finished();
      for (LoopListener l : listeners) {
        l.resumed(loops, finished);
      }
      if (finished) {
        int kept = KeepRule.kept(loops, config);
        return new SerResult(loops, kept, store.stopReason(), store.loadModel(kept));
      }
      judge.resume(last);
      current = store.loadModel(last);
    }

    StopReason stop = StopReason.MAX_LOOPS;
    // A run stopped by a fall that crashed before its closing report stops again on resume.
    boolean fell = KeepRule.fell(loops, config, judge.judges());
    for (int loop = loops.size(); loop <= config.maxLoops() && !fell; loop++) {
      long t0 = System.nanoTime();
      TrainedModel rm = current;
      int now = loop;
      Round round =
          select(
              learner,
              data,
              rm,
              taken,
              new Context(
                  loop,
                  judge.validation().size() > 0
                      ? () -> learner.rewards(rm, judge.validation())
                      : () -> null,
                  () -> judge.temperature(rm, selectedSoFar, now),
                  log));
      List<SelfLabel> selected = round.picked().selected();
      for (SelfLabelFilter f : filters) {
        selected = f.apply(selected, selectedSoFar, loop);
      }
      if (selected.size() < config.minNew()) {
        for (LoopListener l : listeners) {
          l.tooFewNew(loop, selected.size(), config.minNew());
        }
        stop = StopReason.fewNew(selected.size(), config.minNew());
        break;
      }
      taken.addAll(selected);
      selectedSoFar.addAll(selected);
      PairSelection.Picked p = round.picked();
      LoopSelection s =
          new LoopSelection(
              p.status(),
              p.rule().cliName(),
              selected,
              selectedSoFar.size(),
              LoopDiagnostics.precision(selected, data.gold()),
              round.poolLeft() - (int) selected.stream().filter(x -> !x.pair().built()).count(),
              LoopDiagnostics.of(
                  selected,
                  data.gold(),
                  p.temperature(),
                  seedLonger,
                  config.selection().westOfN()));
      TrainingSet train = new TrainingSet(judge.train(), selectedSoFar, config.selfLabelWeight());
      Trained t =
          train(
              loop,
              learner,
              judge,
              train,
              config.warmStart() ? current : null,
              s,
              loops,
              listeners,
              t0);
      current = t.model();
      models.add(t.stamped());
      fell = KeepRule.fell(loops, config, judge.judges());
    }
    if (fell) {
      stop = StopReason.VALIDATION_FELL;
    }
    int kept = KeepRule.kept(loops, config);
    for (LoopListener l : listeners) {
      l.finished(loops, stop, kept);
    }
    // A resumed run holds only the models it trained itself; the saved ones are identical.
    return new SerResult(
        loops, kept, stop, store != null ? store.loadModel(kept) : models.get(kept));
  }

  /** What a loop selected, for its report. */
  private record LoopSelection(
      LoopStatus status,
      String rule,
      List<SelfLabel> selected,
      int total,
      Double precision,
      int poolLeft,
      LoopDiagnostics diagnostics) {}

  /** A selection and how many pool pairs were left to choose from. */
  private record Round(PairSelection.Picked picked, int poolLeft) {}

  /** Something read from the RM only when a rule asks for it. */
  private interface Lazy<T> {
    T get() throws IOException;
  }

  private record Context(
      int loop, Lazy<PairRewards> validation, Lazy<Double> calibration, PrintWriter log)
      implements PairSelection.Context {
    @Override
    public PairRewards validationRewards() throws IOException {
      return validation.get();
    }

    @Override
    public double temperature() throws IOException {
      return calibration.get();
    }
  }

  /** A fold run's context: no validation pairs, T given, nothing said. */
  private static Context foldContext(int loop, double temperature) {
    return new Context(loop, () -> null, () -> temperature, null);
  }

  /** Steps 1 and 2: {@code model}'s candidates, and the ones it labels itself. */
  private Round select(
      RewardLearner learner,
      SerDataset data,
      TrainedModel model,
      Taken taken,
      PairSelection.Context context)
      throws IOException {
    CandidateSource.Candidates c = candidates.score(learner, model, data.pool(), taken);
    return new Round(selection.pick(c, context), c.poolLeft());
  }

  /** A loop's model as the loop scores with it, and as it is saved (stamped with provenance). */
  private record Trained(TrainedModel model, TrainedModel stamped) {}

  /** Fits and judges loop {@code loop}'s RM, reports it and tells the listeners. */
  private Trained train(
      int loop,
      RewardLearner learner,
      LoopJudge judge,
      TrainingSet train,
      TrainedModel start,
      LoopSelection s,
      List<LoopReport> loops,
      List<LoopListener> listeners,
      long t0)
      throws IOException {
    LoopJudge.Judged judged = judge.fit(loop, train, start);
    RewardLearner.Fit fit = judged.fit();
    double loss = judged.evaluation().loss();
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
            Double.isNaN(loss) ? 0 : loss,
            judged.evaluation().accuracy(),
            learner.testRewards(fit.model()).accuracy(),
            fit.bestEpoch(),
            (System.nanoTime() - t0) / 1e9,
            s.diagnostics());
    TrainedModel stamped = fit.model().withProvenance(provenance.forLoop(loop, train.size()));
    loops.add(report);
    for (LoopListener l : listeners) {
      l.loopDone(report, stamped, s.selected(), loops);
    }
    return new Trained(fit.model(), stamped);
  }
}
