package org.ser4j.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.ser4j.data.split.DataSpec;
import org.ser4j.data.split.SerDataset;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.encoder.Featurizer;
import org.ser4j.model.Provenance;
import org.ser4j.model.head.HeadLearner;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.ser.Baselines;
import org.ser4j.ser.SerConfig;
import org.ser4j.ser.SerLoop;
import org.ser4j.ser.SerResult;
import org.ser4j.ser.ask.Acquisition;
import org.ser4j.ser.ask.Asker;
import org.ser4j.util.Progress;

/**
 * Active labeling, measured: a simulated annotator who answers from the data's gold labels only
 * when asked. Per seed (its own split by prompt), every strategy starts from the same random {@code
 * start} labels and asks {@code roundSize} more per round; at each count of human labels the RM of
 * those labels alone ("active"; for random labels, "seed only") and SER started from them ("active
 * + SER"; for random, "SER") are tested on the held-out prompts. Comparisons are paired: the same
 * sample, seed, split, start and budget. With several samples (training files drawn from the same
 * data) every seed runs on each, and the gains are pooled over all of them. The pool a strategy
 * sees never depends on a label that was not asked: each pair's answers are ordered by their text,
 * not by the gold label.
 */
public final class ActiveExperiment {
  /** What runs: strategies (random is the baseline), the schedule, seeds, SER settings. */
  public record Settings(
      List<String> strategies,
      ActiveSchedule schedule,
      long firstSeed,
      int seeds,
      SerConfig ser,
      EncoderConfig encoder,
      boolean withSer,
      boolean withFull,
      List<String> samples) {
    public Settings {
      samples = samples == null || samples.isEmpty() ? List.of("train") : List.copyOf(samples);
      strategies = new ArrayList<>(strategies);
      if (!strategies.contains("random")) {
        strategies.add(0, "random"); // the baseline every gain is measured against
      }
      strategies.forEach(name -> Acquisition.of(name, 0)); // unknown names fail here
      if (seeds < 1) {
        throw new IllegalArgumentException("--seeds must be >= 1");
      }
    }
  }

  /** Sample {@code sample}'s data under split {@code seed}, every training label in it. */
  public interface SampleData {
    DataSpec at(int sample, long seed);
  }

  /** One measurement: a strategy's RMs at one budget under one seed of one sample. */
  public record Point(
      int sample,
      String strategy,
      long seed,
      int labels,
      double active,
      double activeSer,
      double full,
      double activeBestOfN,
      double activeSerBestOfN) {}

  private final Settings s;
  private final SampleData data;
  private final EncoderRuntime runtime;
  private final PrintWriter log;
  private final ExperimentBestOfN bestOfN;

  /**
   * @param data each sample's data, by its place in the settings' sample names
   * @param bestOfN judged candidate sets to measure each RM's best-of-n win rate on (at its first
   *     n), or null
   */
  public ActiveExperiment(
      Settings settings,
      SampleData data,
      EncoderRuntime runtime,
      ExperimentBestOfN bestOfN,
      PrintWriter log) {
    this.s = settings;
    this.data = data;
    this.runtime = runtime;
    this.bestOfN = bestOfN;
    this.log = log;
  }

  public List<Point> run() throws IOException {
    List<Point> points = new ArrayList<>();
    try (Featurizer featurizer = runtime.open(s.encoder())) {
      for (int j = 0; j < s.samples().size(); j++) {
        for (int k = 0; k < s.seeds(); k++) {
          runSeed(j, s.firstSeed() + k, featurizer, points);
        }
      }
    }
    return points;
  }

  /** Every strategy's rounds under one seed of sample {@code j}. */
  private void runSeed(int j, long seed, Featurizer featurizer, List<Point> points)
      throws IOException {
    SerDataset all = SerDataset.load(data.at(j, seed)); // every training label, held back
    List<Integer> start = s.schedule().startLabels(all.labeled().size(), seed);
    try (RewardLearner learner =
        HeadLearner.encoding(featurizer, false, s.ser().train(), Progress.quiet())) {
      double full = Double.NaN;
      for (String name : s.strategies()) {
        Acquisition strategy = Acquisition.of(name, seed);
        SimulatedAnnotator annotator = new SimulatedAnnotator(all, start);
        for (int round = 0; round <= s.schedule().rounds(); round++) {
          SerDataset round0 = annotator.dataset();
          learner.load(round0);
          if (s.withFull() && Double.isNaN(full)) {
            full = Baselines.fullLabels(round0, learner, s.ser(), seed).testAccuracy();
          }
          SerResult seedOnly = run(round0, learner, 0, seed);
          SerResult withSer = s.withSer() ? run(round0, learner, s.ser().maxLoops(), seed) : null;
          Point p =
              new Point(
                  j,
                  name,
                  seed,
                  annotator.labels(),
                  seedOnly.kept().testAccuracy(),
                  withSer == null ? Double.NaN : withSer.kept().testAccuracy(),
                  full,
                  winRate(seedOnly),
                  winRate(withSer));
          points.add(p);
          logPoint(j, p);
          if (round < s.schedule().rounds()) {
            annotator.answer(
                Asker.ask(
                    learner,
                    seedOnly.keptModel(),
                    round0.pool(),
                    positions(annotator.labels()),
                    strategy,
                    s.schedule().roundSize(),
                    seed * 1000 + round));
          }
        }
      }
    }
  }

  private void logPoint(int j, Point p) {
    log.printf(
        Locale.ROOT,
        "%sseed %d, %s, %d labels: RM %.4f, with SER %.4f%s%n",
        s.samples().size() > 1 ? s.samples().get(j) + ", " : "",
        p.seed(),
        p.strategy(),
        p.labels(),
        p.active(),
        p.activeSer(),
        bestOfN == null
            ? ""
            : String.format(
                Locale.ROOT,
                "; best-of-%s win rate %.3f, with SER %.3f",
                bestOfN.firstN(),
                p.activeBestOfN(),
                p.activeSerBestOfN()));
    log.flush();
  }

  /** The kept model's best-of-n win rate at the first n; NaN without candidates or a run. */
  private double winRate(SerResult result) throws IOException {
    if (bestOfN == null || result == null) {
      return Double.NaN;
    }
    return bestOfN.measure(result.keptModel(), runtime.withProgress(Progress.quiet())).winRate()[0];
  }

  private SerResult run(SerDataset d, RewardLearner learner, int maxLoops, long seed)
      throws IOException {
    SerConfig config = s.ser().withMaxLoops(maxLoops);
    return new SerLoop(
            config, seed, null, Provenance.UNKNOWN, new PrintWriter(java.io.Writer.nullWriter()))
        .run(d, learner);
  }

  private static int[] positions(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    return p;
  }
}
