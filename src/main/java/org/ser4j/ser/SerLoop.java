package org.ser4j.ser;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.split.SeedSplit;
import org.ser4j.data.split.SerDataset;
import org.ser4j.model.Provenance;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.model.learn.TrainingSet;
import org.ser4j.ser.select.CandidateSource;
import org.ser4j.ser.select.LengthBalance;
import org.ser4j.ser.select.LoopStatus;
import org.ser4j.ser.select.PairSelection;
import org.ser4j.ser.select.Pool;
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

  /** Where a run's pool is read from, once the learner has loaded the data. */
  @FunctionalInterface
  public interface PoolOpener {
    /** The pool of {@code data}, which {@code learner} has loaded, picked from by {@code rule}. */
    Pool open(SerDataset data, RewardLearner learner, PairSelection rule) throws IOException;
  }

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
        PairSelection.of(config.rule(), config.selection(), config.thresholds(), config.scale());
  }

  /** Runs (or resumes) SER on {@code data} with {@code learner}, its pool held in this process. */
  public SerResult run(SerDataset data, RewardLearner learner) throws IOException {
    return run(data, learner, (d, l, rule) -> Pool.inMemory(l, d.pool(), candidates, rule));
  }

  /**
   * Runs (or resumes) SER on {@code data} with {@code learner}, its pool where {@code pool} says.
   */
  public SerResult run(SerDataset data, RewardLearner learner, PoolOpener pool) throws IOException {
    learner.load(data);
    Run run = new Run(data, learner, pool.open(data, learner, selection));
    if (run.loops.isEmpty()) {
      run.seedOnly();
    } else if (run.resume()) {
      int kept = KeepRule.kept(run.loops, config);
      return new SerResult(run.loops, kept, store.stopReason(), store.loadModel(kept));
    }
    if (run.labelsPending()) {
      run.labelsAdded(); // a new phase: the seed grew since the last loop
    }
    StopReason stop = StopReason.MAX_LOOPS;
    // A run stopped by a fall that crashed before its closing report stops again on resume.
    boolean fell = run.fell();
    for (int loop = run.loops.size(); loop - run.phase <= config.maxLoops() && !fell; loop++) {
      long t0 = System.nanoTime();
      LoopSelection round = run.selfLabel(loop); // steps 1 to 3
      int found = round.selected().size();
      if (found < config.minNew()) {
        for (LoopListener l : run.listeners) {
          l.tooFewNew(loop, found, config.minNew());
        }
        stop = StopReason.fewNew(found, config.minNew());
        break;
      }
      run.train(loop, round, t0); // step 4
      fell = run.fell();
    }
    if (fell) {
      stop = StopReason.VALIDATION_FELL;
    }
    return run.finish(stop);
  }

  /**
   * One run's parts and state: what it has kept, labeled and trained so far. Loops are numbered
   * over the whole run; the judge counts them from the current phase's first loop ({@link
   * KeepRule#phaseStart}), since people who add labels give it a new seed.
   */
  private final class Run {
    final SerDataset data;
    final RewardLearner learner;
    final Pool pool;
    final SerDataset.AddedLabels added; // people's labels, on the pool's keys
    final LoopJudge judge;
    final List<SelfLabelFilter> filters;
    final List<LoopListener> listeners = new ArrayList<>();
    final double seedLonger; // the seed's share of longer chosen answers, for length balance
    final List<LoopReport> loops;
    final List<SelfLabel> selectedSoFar;
    final Taken taken;
    final List<TrainedModel> models = new ArrayList<>(); // stamped, as this process trained them
    TrainedModel current; // the last loop's model, as the learner scores with it
    int phase; // the current phase's first loop
    int contradicted; // saved self-labels that labels added by people contradict
    // The test pairs' styles, measured once: every loop splits them under its rewards.
    final org.ser4j.eval.StyleSplit.Table testStyles;

    Run(SerDataset data, RewardLearner learner, Pool pool) throws IOException {
      this.data = data;
      this.learner = learner;
      this.pool = pool;
      this.selectedSoFar = pool.newSelfLabels();
      this.added = pool.added(data);
      this.taken = pool.newTaken(added.poolKeys());
      this.testStyles =
          data.test().isEmpty() ? null : new org.ser4j.eval.StyleSplit.Table(data.test());
      SeedSplit split = LoopJudge.seedSplit(config, data.labeled().size(), seed);
      seedLonger = LengthBalance.chosenLongerShare(data.labeled(), split.train());
      filters =
          SelfLabelFilter.of(
              config.selection(),
              learner,
              split.train(),
              TrainingSet.labeled(split.validation()),
              config.selfLabelWeight(),
              seedLonger,
              pool::chosenLonger,
              seed);
      judge =
          LoopJudge.of(
              learner,
              config,
              seed,
              split,
              () -> pool.newTaken(added.poolKeys()),
              this::foldSelection,
              pool::newSelfLabels);
      if (store != null) {
        listeners.add(store.listener(config, learner.finetune(), pool));
      }
      listeners.add(new LoopLog(log, store, learner));
      loops = new ArrayList<>(store == null ? List.of() : store.readLoops());
      phase = KeepRule.phaseStart(loops);
    }

    /**
     * Whether people added labels since the current phase began (its labels-added loop, or loop 0,
     * counts what had been added by then).
     */
    boolean labelsPending() {
      Integer before = loops.get(phase).labelsAdded();
      return data.added().pairs() > (before == null ? 0 : before);
    }

    /** Loop 0: the RM of the labeled seed alone. */
    void seedOnly() throws IOException {
      LoopSelection none = LoopSelection.none(LoopStatus.SEED, 0, pool.size());
      fit(0, TrainingSet.labeled(judge.train()), null, none, System.nanoTime());
    }

    /**
     * Reads back the self-labels of the loops on disk (less those of pairs people have labeled
     * since) and the last loop's model; true when the run had already finished and no labels were
     * added.
     */
    boolean resume() throws IOException {
      RunStore.Standing saved = store.standingSelfLabels(added, loops.size(), pool);
      contradicted = saved.contradicted();
      taken.addAll(saved.labels());
      selectedSoFar.addAll(saved.labels());
      int last = loops.size() - 1;
      boolean pending = labelsPending();
      boolean finished = store.finished() && !pending;
      for (LoopListener l : listeners) {
        l.resumed(loops, finished);
      }
      if (!finished) {
        if (!pending) {
          judge.resume(last - phase); // a new phase's judge starts afresh
        }
        current = store.loadModel(last);
      }
      return finished;
    }

    /**
     * A new phase: people added labels, so the seed grew. Retrains on the new seed plus every
     * self-label they left standing, selecting nothing; the judge starts over on the new seed.
     */
    void labelsAdded() throws IOException {
      long t0 = System.nanoTime();
      int loop = loops.size();
      phase = loop;
      long poolLeft = pool.left(taken);
      LoopSelection s = LoopSelection.none(LoopStatus.LABELS_ADDED, selectedSoFar.size(), poolLeft);
      TrainingSet train = new TrainingSet(judge.train(), selectedSoFar, config.selfLabelWeight());
      fit(loop, train, config.warmStart() ? current : null, s, t0);
    }

    /** Steps 1 to 3 of loop {@code loop}: candidates, the current RM's picks, second looks. */
    LoopSelection selfLabel(int loop) throws IOException {
      TrainedModel rm = current;
      SelectionContext context =
          new SelectionContext(
              loop,
              judge.validation().size() > 0
                  ? () -> learner.rewards(rm, judge.validation())
                  : () -> null,
              () -> judge.temperature(rm, selectedSoFar, loop - phase),
              log);
      Pool.Round round = pool.pick(rm, taken, context);
      PairSelection.Picked picked = round.picked();
      List<SelfLabel> selected = picked.selected();
      for (SelfLabelFilter f : filters) {
        selected = f.apply(selected, selectedSoFar, loop);
      }
      return LoopSelection.picked(
          picked,
          selected,
          selectedSoFar.size(),
          round.poolLeft(),
          pool.chosenLonger(selected),
          data.gold(),
          seedLonger,
          config);
    }

    /** A fold run's picks: as the main run's, without its reviewers. */
    private List<SelfLabel> foldSelection(
        TrainedModel model, Taken foldTaken, double temperature, int loop) throws IOException {
      SelectionContext context = new SelectionContext(loop, () -> null, () -> temperature, null);
      List<SelfLabel> picked = pool.pick(model, foldTaken, context).picked().selected();
      return config.selection().balanceLength()
          ? LengthBalance.match(picked, pool.chosenLonger(picked), seedLonger)
          : picked;
    }

    /** Step 4 of loop {@code loop}: the seed plus every self-label so far, fitted and judged. */
    void train(int loop, LoopSelection s, long t0) throws IOException {
      taken.addAll(s.selected());
      selectedSoFar.addAll(s.selected());
      TrainingSet train = new TrainingSet(judge.train(), selectedSoFar, config.selfLabelWeight());
      fit(loop, train, config.warmStart() ? current : null, s, t0);
    }

    /** Fits and judges loop {@code loop}'s RM, reports it and tells the listeners. */
    private void fit(int loop, TrainingSet train, TrainedModel start, LoopSelection s, long t0)
        throws IOException {
      LoopJudge.Judged judged = judge.fit(loop - phase, train, start);
      TrainedModel model = judged.fit().model();
      org.ser4j.model.PairRewards test = data.test().isEmpty() ? null : learner.testRewards(model);
      List<org.ser4j.eval.StyleSplit> splits =
          test == null ? null : testStyles.splits(test.chosen(), test.rejected());
      double seconds = (System.nanoTime() - t0) / 1e9;
      LoopReport report =
          s.report(
              loop,
              train,
              judged,
              data,
              test == null ? null : test.accuracy(),
              splits,
              seconds,
              contradicted);
      // Saved stamped with its provenance; scored on as the learner returned it (one network).
      TrainedModel stamped = model.withProvenance(provenance.forLoop(loop, train.size()));
      loops.add(report);
      for (LoopListener l : listeners) {
        l.loopDone(report, stamped, s.selected(), loops);
      }
      current = model;
      models.add(stamped);
    }

    /** Whether the last loop's judged accuracy fell below an earlier loop's. */
    boolean fell() {
      return KeepRule.fell(loops, config, judge.judges());
    }

    /** Tells the listeners; the kept loop's model (the saved one when resumed). */
    SerResult finish(StopReason stop) throws IOException {
      int kept = KeepRule.kept(loops, config);
      for (LoopListener l : listeners) {
        l.finished(loops, stop, kept);
      }
      // A resumed run holds only the models it trained itself; the saved ones are identical.
      return new SerResult(
          loops, kept, stop, store != null ? store.loadModel(kept) : models.get(kept));
    }
  }
}
