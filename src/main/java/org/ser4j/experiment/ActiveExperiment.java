package org.ser4j.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.ser4j.data.GoldLabels;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.split.DataSpec;
import org.ser4j.data.split.SerDataset;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.encoder.Featurizer;
import org.ser4j.eval.HtmlPage;
import org.ser4j.eval.Plots;
import org.ser4j.model.Provenance;
import org.ser4j.model.head.HeadLearner;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.ser.Baselines;
import org.ser4j.ser.SerConfig;
import org.ser4j.ser.SerLoop;
import org.ser4j.ser.SerResult;
import org.ser4j.ser.ask.Acquisition;
import org.ser4j.ser.ask.Asker;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Json;
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
      int start,
      int roundSize,
      int rounds,
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
      if (start < 2 || roundSize < 1 || rounds < 1 || seeds < 1) {
        throw new IllegalArgumentException(
            "--ask-start must be >= 2, --ask-size, --ask-rounds and --seeds >= 1");
      }
    }

    List<Integer> budgets() {
      List<Integer> b = new ArrayList<>();
      for (int r = 0; r <= rounds; r++) {
        b.add(start + r * roundSize);
      }
      return b;
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
    List<Integer> start = startLabels(all.labeled().size(), s.start(), seed);
    try (RewardLearner learner =
        HeadLearner.encoding(featurizer, false, s.ser().train(), Progress.quiet())) {
      double full = Double.NaN;
      for (String name : s.strategies()) {
        Acquisition strategy = Acquisition.of(name, seed);
        List<Integer> known = new ArrayList<>(start);
        for (int round = 0; round <= s.rounds(); round++) {
          SerDataset round0 = datasetOf(all, known);
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
                  known.size(),
                  seedOnly.kept().testAccuracy(),
                  withSer == null ? Double.NaN : withSer.kept().testAccuracy(),
                  full,
                  winRate(seedOnly),
                  winRate(withSer));
          points.add(p);
          log.printf(
              Locale.ROOT,
              "%sseed %d, %s, %d labels: RM %.4f, with SER %.4f%s%n",
              s.samples().size() > 1 ? s.samples().get(j) + ", " : "",
              seed,
              name,
              known.size(),
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
          if (round < s.rounds()) {
            List<Asker.Question> asked =
                Asker.ask(
                    learner,
                    seedOnly.keptModel(),
                    round0.pool(),
                    positions(known.size()),
                    strategy,
                    s.roundSize(),
                    seed * 1000 + round);
            int[] original = poolToTraining(all.labeled().size(), known);
            for (Asker.Question q : asked) {
              known.add(original[q.pair().key()]);
            }
          }
        }
      }
    }
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

  /**
   * The first labels: {@code count} training pairs drawn by the seed, the same for every strategy.
   */
  static List<Integer> startLabels(int n, int count, long seed) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(seed * 0x9E3779B97F4A7C15L + 0xA5L));
    return new ArrayList<>(order.subList(0, Math.min(count, n)));
  }

  private static int[] positions(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    return p;
  }

  /**
   * The data a round sees: the {@code known} training pairs as its labeled seed (in the order they
   * were asked), the rest as its pool, each pool pair's answers ordered by their text (so that the
   * pool reads the same whatever its gold labels say), the gold labels kept apart for measuring
   * self-label precision only.
   */
  static SerDataset datasetOf(SerDataset all, List<Integer> known) {
    List<PreferencePair> train = all.labeled();
    BitSet isKnown = new BitSet();
    known.forEach(isKnown::set);
    List<PreferencePair> labeled = new ArrayList<>(known.size());
    known.forEach(i -> labeled.add(train.get(i)));
    List<UnlabeledPair> pool = new ArrayList<>();
    BitSet firstPreferred = new BitSet();
    for (int i = 0; i < train.size(); i++) {
      if (isKnown.get(i)) {
        continue;
      }
      PreferencePair p = train.get(i);
      boolean chosenFirst = p.chosen().compareTo(p.rejected()) <= 0;
      firstPreferred.set(pool.size(), chosenFirst);
      pool.add(
          new UnlabeledPair(
              pool.size(),
              p.id(),
              p.prompt(),
              chosenFirst ? p.chosen() : p.rejected(),
              chosenFirst ? p.rejected() : p.chosen(),
              p.source()));
    }
    return new SerDataset(
        labeled, pool, new GoldLabels(firstPreferred, pool.size()), all.test(), all.counts());
  }

  /** Each round pool key's training position (the pool lists the unknown pairs in order). */
  private static int[] poolToTraining(int n, List<Integer> known) {
    BitSet isKnown = new BitSet();
    known.forEach(isKnown::set);
    int[] out = new int[n - isKnown.cardinality()];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (!isKnown.get(i)) {
        out[k++] = i;
      }
    }
    return out;
  }

  /**
   * experiment.json (per budget and method: means, paired gains over random with 95% t-intervals),
   * experiment.md, label-efficiency.png and report.html in {@code out}.
   */
  public static void write(
      Path out, Settings s, List<Point> points, ExperimentBestOfN bestOfN, PrintWriter log)
      throws IOException {
    List<Integer> budgets = s.budgets();
    ObjectNode json = Json.PRETTY.createObjectNode();
    json.put(
        "protocol", "active labeling with a simulated annotator (gold labels only when asked)");
    json.put("seeds", s.seeds());
    json.put("first_seed", s.firstSeed());
    ArrayNode sampleNames = json.putArray("samples"); // runs are sample by sample, seed by seed
    s.samples().forEach(sampleNames::add);
    json.put("start", s.start());
    json.put("round_size", s.roundSize());
    json.put("rounds", s.rounds());
    json.put("with_ser", s.withSer());
    json.set("ser_config", Json.PRETTY.valueToTree(s.ser()));
    json.put("encoder", s.encoder().name());
    double full =
        points.stream()
            .mapToDouble(Point::full)
            .filter(x -> !Double.isNaN(x))
            .average()
            .orElse(Double.NaN);
    if (!Double.isNaN(full)) {
      json.put("full_label_accuracy", full);
    }
    if (bestOfN != null) {
      json.set("best_of_n", bestOfN.header().put("n", bestOfN.firstN()));
    }
    List<Metric> metrics = new ArrayList<>();
    metrics.add(
        new Metric("accuracy", "minus_random", "accuracy", Point::active, Point::activeSer));
    if (bestOfN != null) {
      metrics.add(
          new Metric(
              "best_of_n",
              "best_of_n_minus_random",
              "best-of-n win rate",
              Point::activeBestOfN,
              Point::activeSerBestOfN));
    }
    ArrayNode rows = json.putArray("by_budget");
    StringBuilder md = new StringBuilder("| human labels | method |");
    StringBuilder rule = new StringBuilder("|---|---|");
    for (Metric m : metrics) {
      md.append(' ').append(m.header()).append(" | vs random (same method), paired [95% CI] |");
      rule.append("---|---|");
    }
    md.append('\n').append(rule).append('\n');
    for (int bi = 0; bi < budgets.size(); bi++) {
      int b = budgets.get(bi);
      for (String name : s.strategies()) {
        for (boolean ser : s.withSer() ? new boolean[] {false, true} : new boolean[] {false}) {
          List<Point> mine =
              points.stream().filter(p -> p.strategy().equals(name) && p.labels() == b).toList();
          if (mine.isEmpty()) {
            continue;
          }
          String method = label(name, ser);
          ObjectNode row = rows.addObject();
          row.put("labels", b);
          row.put("strategy", name);
          row.put("ser", ser);
          row.put("method", method);
          boolean random = name.equals("random");
          md.append(String.format(Locale.ROOT, "| %d | %s |", b, method));
          for (Metric m : metrics) {
            m.measure(row, points, mine, ser, random);
            double mean = row.get(m.key()).get("mean").asDouble();
            m.series().computeIfAbsent(method, k -> new double[budgets.size()])[bi] = mean;
            md.append(
                String.format(
                    Locale.ROOT,
                    " %.4f | %s |",
                    mean,
                    random ? "-" : interval(row.get(m.gainKey()))));
          }
          md.append('\n');
        }
      }
    }
    Map<String, double[]> series = metrics.get(0).series();
    if (s.samples().size() > 1) {
      md.append(
          String.format(
              Locale.ROOT,
              "%n%d samples (%s) x %d seeds; each gain paired within its sample and seed.%n",
              s.samples().size(),
              String.join(", ", s.samples()),
              s.seeds()));
    }
    if (!Double.isNaN(full)) {
      md.append(String.format(Locale.ROOT, "%nfull-label RM: %.4f%n", full));
    }
    AtomicFiles.writeString(
        out.resolve("experiment.json"), Json.PRETTY.writeValueAsString(json) + "\n");
    AtomicFiles.writeString(out.resolve("experiment.md"), md.toString());
    double[] x = budgets.stream().mapToDouble(Integer::doubleValue).toArray();
    if (!Double.isNaN(full)) {
      double[] f = new double[x.length];
      java.util.Arrays.fill(f, full);
      series.put("full labels", f);
    }
    Plots.lines(
        "Label efficiency",
        "human labels",
        "test accuracy",
        x,
        series,
        out.resolve("label-efficiency.png"));
    if (bestOfN != null) {
      Plots.lines(
          "Label efficiency, best-of-" + bestOfN.firstN(),
          "human labels",
          "mean gold score of the RM's pick",
          x,
          metrics.get(1).series(),
          out.resolve("label-efficiency-best-of-n.png"));
    }
    HtmlPage page =
        new HtmlPage("Active labeling experiment " + out.toAbsolutePath().getFileName());
    page.paragraph(
        String.format(
            Locale.ROOT,
            "%s%d seeds; %d random labels to start, then %d rounds of %d asked by each strategy. Accuracy on held-out prompts; gains over random labels at the same count, paired by sample and seed, with 95%% t-intervals.",
            s.samples().size() > 1 ? s.samples().size() + " samples x " : "",
            s.seeds(),
            s.start(),
            s.rounds(),
            s.roundSize()));
    page.table(
        "budgets",
        rows,
        List.of(
            "labels",
            "method",
            "accuracy.mean",
            "minus_random.mean",
            "minus_random.ci95_low",
            "minus_random.ci95_high"));
    page.image(out.resolve("label-efficiency.png"), "test accuracy by number of human labels");
    if (bestOfN != null) {
      page.table(
          "best-of-" + bestOfN.firstN(),
          rows,
          List.of(
              "labels",
              "method",
              "best_of_n.mean",
              "best_of_n_minus_random.mean",
              "best_of_n_minus_random.ci95_low",
              "best_of_n_minus_random.ci95_high"));
      page.image(
          out.resolve("label-efficiency-best-of-n.png"),
          "best-of-" + bestOfN.firstN() + " by number of human labels");
    }
    page.links(out, List.of("experiment.json", "experiment.md", "options.properties"));
    page.write(out.resolve("report.html"));
    log.print(md);
    log.println(
        "wrote "
            + out.resolve("experiment.json")
            + ", experiment.md, label-efficiency.png, report.html");
    log.flush();
  }

  /**
   * One figure measured per method and budget: {@code key} holds its statistics over seeds, {@code
   * gainKey} its paired gain over random labels at the same seed and budget; {@code series} the
   * means by budget, for the plot.
   */
  private record Metric(
      String key,
      String gainKey,
      String header,
      java.util.function.ToDoubleFunction<Point> alone,
      java.util.function.ToDoubleFunction<Point> withSer,
      Map<String, double[]> series) {
    Metric(
        String key,
        String gainKey,
        String header,
        java.util.function.ToDoubleFunction<Point> alone,
        java.util.function.ToDoubleFunction<Point> withSer) {
      this(key, gainKey, header, alone, withSer, new LinkedHashMap<>());
    }

    void measure(
        ObjectNode row, List<Point> points, List<Point> mine, boolean ser, boolean random) {
      java.util.function.ToDoubleFunction<Point> value = ser ? withSer : alone;
      List<Double> values = new ArrayList<>();
      List<Double> gains = new ArrayList<>();
      for (Point p : mine) {
        values.add(value.applyAsDouble(p));
        gains.add(
            value.applyAsDouble(p)
                - value.applyAsDouble(find(points, "random", p.sample(), p.seed(), p.labels())));
      }
      row.set(key, ExperimentReport.stats(values));
      if (!random) {
        row.set(gainKey, ExperimentReport.stats(gains));
      }
    }
  }

  private static String label(String strategy, boolean ser) {
    if (strategy.equals("random")) {
      return ser ? "SER (random labels)" : "seed only (random labels)";
    }
    return ser ? strategy + " + SER" : strategy;
  }

  private static String interval(com.fasterxml.jackson.databind.JsonNode g) {
    return g.has("ci95_low")
        ? String.format(
            Locale.ROOT,
            "%+.4f [%+.4f, %+.4f]",
            g.get("mean").asDouble(),
            g.get("ci95_low").asDouble(),
            g.get("ci95_high").asDouble())
        : String.format(Locale.ROOT, "%+.4f", g.get("mean").asDouble());
  }

  private static Point find(
      List<Point> points, String strategy, int sample, long seed, int labels) {
    return points.stream()
        .filter(
            p ->
                p.strategy().equals(strategy)
                    && p.sample() == sample
                    && p.seed() == seed
                    && p.labels() == labels)
        .findFirst()
        .orElseThrow();
  }
}
