package org.ser4j.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ser4j.data.split.DataSpec;
import org.ser4j.data.split.SerDataset;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.encoder.Featurizer;
import org.ser4j.model.Provenance;
import org.ser4j.model.finetune.FineTuneConfig;
import org.ser4j.model.head.HeadLearner;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.ser.Baselines;
import org.ser4j.ser.EncoderSearch;
import org.ser4j.ser.Learners;
import org.ser4j.ser.RunSettings;
import org.ser4j.ser.RunStore;
import org.ser4j.ser.SerConfig;
import org.ser4j.ser.SerLoop;
import org.ser4j.ser.SerResult;
import org.ser4j.util.Progress;

/**
 * The experiment protocol (`ser experiment`): for each labeled fraction and seed (each seed its own
 * split), a SER run, the seed-only RM (its loop 0) and the full-label RM, all on the same split, so
 * that their differences are paired; optionally each RM's best-of-n win rate. Every cell's run is
 * kept under {@code out/runs/} and reused when the experiment runs again with the same settings.
 * {@link ExperimentReport} turns the cells into the report.
 */
public final class Experiment {
  /** A cell's data: the labeled {@code fraction} of the training file under split {@code seed}. */
  public interface CellData {
    DataSpec at(double fraction, long seed);
  }

  /**
   * What an experiment runs: labeled fractions (the first is the headline), seeds {@code
   * firstSeed}, {@code firstSeed + 1}, ..., the SER settings, fine-tuning (null: a frozen encoder
   * shared by every cell), and whether the full-label RM is skipped. With {@code search} (not null:
   * `--encoder auto`), each cell chooses its encoder from its own labeled pairs; {@code encoder} is
   * then the fallback for too few of them.
   */
  public record Settings(
      List<Double> fractions,
      long firstSeed,
      int seeds,
      SerConfig ser,
      FineTuneConfig finetune,
      int heads,
      EncoderConfig encoder,
      EncoderSearch.Space search,
      boolean skipFull) {
    public Settings {
      if (seeds < 1) {
        throw new IllegalArgumentException("--seeds must be at least 1");
      }
      fractions = List.copyOf(fractions);
    }
  }

  private final Settings s;
  private final CellData data;
  private final EncoderRuntime runtime;
  private final ExperimentBestOfN bon;
  private final Path out;
  private final PrintWriter log;

  /**
   * @param bon best-of-n candidate sets to measure each RM on, or null
   */
  public Experiment(
      Settings settings,
      CellData data,
      EncoderRuntime runtime,
      ExperimentBestOfN bon,
      Path out,
      PrintWriter log) {
    this.s = settings;
    this.data = data;
    this.runtime = runtime;
    this.bon = bon;
    this.out = out;
    this.log = log;
  }

  /** Runs (or reuses) every cell, fractions first, then seeds. */
  public List<Cell> run() throws IOException {
    List<Cell> cells = new ArrayList<>();
    // One encoder session for every cell of a frozen-encoder experiment.
    // (With auto, each cell opens the encoders it chose.)
    try (Featurizer featurizer =
        s.finetune() == null && s.search() == null ? runtime.open(s.encoder()) : null) {
      for (double f : s.fractions()) {
        for (int k = 0; k < s.seeds(); k++) {
          long seed = s.firstSeed() + k;
          DataSpec cellSpec = data.at(f, seed);
          SerDataset dataset = SerDataset.load(cellSpec);
          EncoderSearch.Choice choice =
              EncoderSearch.resolve(
                  s.search(),
                  s.encoder(),
                  dataset.labeled(),
                  s.ser().train(),
                  runtime.withProgress(Progress.quiet()),
                  seed);
          for (String line : choice.lines()) {
            log.println("   " + line);
          }
          try (RewardLearner learner = learner(featurizer, choice, seed)) {
            RunSettings run =
                new RunSettings(
                    cellSpec,
                    learner.encoder(),
                    s.ser(),
                    s.finetune(),
                    s.heads(),
                    RunSettings.choiceJson(choice));
            RunStore store = cellStore(f, seed, run);
            log.printf(
                Locale.ROOT,
                "== labeled fraction %.3f, seed %d: %d labeled, %d unlabeled, %d test%n",
                f,
                seed,
                dataset.labeled().size(),
                dataset.pool().size(),
                dataset.test().size());
            log.flush();
            Provenance provenance =
                Provenance.forRun("experiment", cellSpec, dataset.labeled(), run.toJson());
            SerResult result =
                new SerLoop(s.ser(), seed, store, provenance, log).run(dataset, learner);
            Baselines.Full fullRm =
                s.skipFull() ? null : Baselines.fullLabels(dataset, learner, s.ser(), seed);
            double full = fullRm == null ? Double.NaN : fullRm.testAccuracy();
            Map<String, ExperimentBestOfN.Result> picks = new LinkedHashMap<>();
            if (bon != null) {
              EncoderRuntime quiet = runtime.withProgress(Progress.quiet());
              picks.put("seed_only", bon.measure(store.loadModel(0), quiet));
              picks.put("ser", bon.measure(result.keptModel(), quiet));
              picks.put("ser_last", bon.measure(store.loadModel(result.loops().size() - 1), quiet));
              if (fullRm != null) {
                picks.put("full", bon.measure(fullRm.model(), quiet));
              }
              log.printf(
                  Locale.ROOT,
                  "   best-of-%s win rate: seed-only %.3f  SER %.3f  SER last loop %.3f  full %s%n",
                  bon.firstN(),
                  picks.get("seed_only").winRate()[0],
                  picks.get("ser").winRate()[0],
                  picks.get("ser_last").winRate()[0],
                  picks.containsKey("full")
                      ? String.format(Locale.ROOT, "%.3f", picks.get("full").winRate()[0])
                      : "-");
            }
            cells.add(
                new Cell(
                    f,
                    seed,
                    result.seedOnly().testAccuracy(),
                    result.kept().testAccuracy(),
                    full,
                    result.loops(),
                    result.keptLoop(),
                    result.stopReason().toString(),
                    picks,
                    learner.encoder().name()));
            log.printf(
                Locale.ROOT,
                "   seed-only %.4f  SER %.4f (loop %d, %s)  full %.4f%n",
                result.seedOnly().testAccuracy(),
                result.kept().testAccuracy(),
                result.keptLoop(),
                result.stopReason(),
                full);
            log.flush();
          }
        }
      }
    }
    return cells;
  }

  /**
   * A cell's learner: the fine-tuned encoder, the encoders the cell chose, or the experiment's
   * {@code shared} frozen featurizer (opened here when there is none).
   */
  private RewardLearner learner(Featurizer shared, EncoderSearch.Choice choice, long seed)
      throws IOException {
    if (s.finetune() != null) {
      return Learners.open(
          s.encoder(), s.ser().train(), s.finetune().withSeed(seed), s.heads(), runtime);
    }
    if (shared == null) {
      return HeadLearner.encoding(
          runtime.open(choice.chosen()), true, s.ser().train(), Progress.quiet());
    }
    return HeadLearner.encoding(shared, false, s.ser().train(), Progress.quiet());
  }

  /**
   * A cell's run directory; a finished run with the same settings is reused, a different one
   * refused.
   */
  private RunStore cellStore(double f, long s, RunSettings run) throws java.io.IOException {
    Path dir = out.resolve("runs").resolve(String.format(Locale.ROOT, "fraction-%s-seed-%d", f, s));
    try {
      return RunStore.reuseOrCreate(dir, run);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + "; use another --out", e);
    }
  }
}
