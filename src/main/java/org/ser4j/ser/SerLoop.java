package org.ser4j.ser;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.model.PairFeatures;
import org.ser4j.model.RewardModel;
import org.ser4j.model.RewardTrainer;
import org.ser4j.model.TrainedHead;
import org.ser4j.util.Permutations;
import org.ser4j.util.Progress;

/**
 * Self-Evolved Reward Learning (Huang et al., ICLR 2025): Loop 0 trains an RM on the labeled seed;
 * each further loop lets the RM score the unlabeled pool, keeps the pairs it is confident about
 * (labeled with its own preference), and retrains on the seed plus every pair kept so far. Stops
 * when a loop keeps fewer than {@code minNew} pairs, when validation accuracy falls, or after
 * {@code maxLoops}. With a {@link RunStore}, each loop is saved and an interrupted run resumes
 * after its last saved loop with the same result.
 */
public final class SerLoop {
  private final SerConfig config;
  private final long seed;
  private final RunStore store;
  private final Progress progress;
  private final PrintWriter log;
  private final Selector selector;

  public SerLoop(SerConfig config, long seed, RunStore store, Progress progress, PrintWriter log) {
    this.config = config;
    this.seed = seed;
    this.store = store;
    this.progress = progress;
    this.log = log;
    this.selector = new Selector(config.thresholds());
  }

  /**
   * The labeled seed split into {training, validation}: a seeded share of the seed judges
   * loops and stops training early; the test set never does.
   */
  public static PairFeatures[] splitSeed(PairFeatures labeled, double validationFraction, long seed) {
    int[][] idx = seedSplit(labeled.size(), validationFraction, seed);
    return new PairFeatures[] {labeled.select(idx[0]), labeled.select(idx[1])};
  }

  /** Positions {training, validation} of a labeled seed of {@code n} pairs: the split every SER loop kind uses. */
  static int[][] seedSplit(int n, double validationFraction, long seed) {
    int nVal = n >= 10 ? Math.max(1, (int) Math.round(validationFraction * n)) : 0;
    int[] order = Permutations.of(n, new Random(seed * 0x2545F4914F6CDD1DL + 11));
    return new int[][] {java.util.Arrays.copyOfRange(order, nVal, n), java.util.Arrays.copyOfRange(order, 0, nVal)};
  }

  public SerResult run(SerInputs in) throws IOException {
    PairFeatures[] split = splitSeed(in.labeled(), config.validationFraction(), seed);
    PairFeatures seedTrain = split[0];
    PairFeatures validation = split[1];

    List<LoopReport> loops = new ArrayList<>(store == null ? List.of() : store.readLoops());
    List<SelfLabel> selectedSoFar = new ArrayList<>();
    BitSet taken = new BitSet(in.pool().size());
    RewardModel model;
    List<RewardModel> models = new ArrayList<>();
    if (loops.isEmpty()) {
      long t0 = System.nanoTime();
      TrainedHead head = trainer(0).train(seedTrain, validation);
      model = new RewardModel(in.encoder(), head.normalizer(), head.head(), provenance(0, seedTrain.size()));
      LoopReport report = report(0, "seed", "-", List.of(), 0, null, in.pool().size(), seedTrain.size(), head, model, validation, in.test(), t0);
      loops.add(report);
      save(0, model, List.of(), loops, null, false);
    } else {
      // Resume: rebuild the pool and the self-labels from the saved loops.
      for (int loop = 1; loop < loops.size(); loop++) {
        for (int[] s : store.readSelected(loop)) {
          UnlabeledPair p = in.pool().get(s[0]);
          taken.set(s[0]);
          selectedSoFar.add(new SelfLabel(p, s[1] == 1, Double.NaN, Double.NaN, loop));
        }
      }
      model = store.loadModel(loops.size() - 1);
      log.printf(store.finished() ? "%2$s already finished after loop %1$d%n" : "resuming after loop %d of %s%n", loops.size() - 1, store.dir());
      if (store.finished()) {
        int best = finalLoop(loops, config.keepLast());
        return new SerResult(loops, best, stopReasonOnDisk(), store.loadModel(best));
      }
    }
    models.add(model);
    logLoop(loops.get(loops.size() - 1));

    String stop = "max-loops";
    for (int loop = loops.size(); loop <= config.maxLoops(); loop++) {
      long t0 = System.nanoTime();
      List<UnlabeledPair> remaining = new ArrayList<>();
      for (UnlabeledPair p : in.pool()) {
        if (!taken.get(p.key())) {
          remaining.add(p);
        }
      }
      double[] r1 = new double[remaining.size()];
      double[] r2 = new double[remaining.size()];
      for (int i = 0; i < remaining.size(); i++) {
        r1[i] = model.score(in.poolFirst()[remaining.get(i).key()]);
        r2[i] = model.score(in.poolSecond()[remaining.get(i).key()]);
      }
      Selector scaled = scaled(selector, config.scale(), r1, r2, loop, log);
      SelectionRule rule = config.rule();
      if (rule == SelectionRule.AUTO) {
        rule = validation.size() > 0
            ? scaled.resolveAuto(model.score(validation.chosen()), model.score(validation.rejected()))
            : SelectionRule.GOOD_BAD;
      }
      List<SelfLabel> selected = scaled.select(remaining, r1, r2, rule, loop);
      String few = fewNew(selected.size(), config.minNew(), loop, log);
      if (few != null) {
        stop = few;
        break;
      }
      int agree = take(selected, taken, in.gold());
      selectedSoFar.addAll(selected);
      PairFeatures train = seedTrain.concat(selfLabeled(selectedSoFar, in));
      TrainedHead head = config.warmStart()
          ? trainer(loop).train(train, validation, model.head(), model.normalizer())
          : trainer(loop).train(train, validation);
      model = new RewardModel(in.encoder(), head.normalizer(), head.head(), provenance(loop, train.size()));
      models.add(model);
      LoopReport report = report(loop, selector.status(selected), rule.cliName(), selected, selectedSoFar.size(),
          (double) agree / selected.size(), remaining.size() - selected.size(), train.size(), head, model, validation, in.test(), t0);
      loops.add(report);
      save(loop, model, selected, loops, null, false);
      logLoop(report);
      double bestBefore = loops.subList(0, loops.size() - 1).stream().mapToDouble(LoopReport::validationAccuracy).max().orElse(Double.NaN);
      if (!config.keepLast() && validation.size() > 0 && report.validationAccuracy() < bestBefore) {
        stop = "validation-fell";
        break;
      }
    }
    if (store != null) {
      writeReport(loops, stop, true);
    }
    int best = finalLoop(loops, config.keepLast());
    // A resumed run holds only the models it trained itself; the saved ones are identical.
    RewardModel finalModel = store != null ? store.loadModel(best) : models.get(best);
    return new SerResult(loops, best, stop, finalModel);
  }

  /** The selector for this loop's pool rewards under {@code scale}; logs the pool's mean and std when it rescales. */
  static Selector scaled(Selector selector, ConfidenceScale scale, double[] r1, double[] r2, int loop, PrintWriter log) {
    Selector scaled = selector.scaledFor(scale, r1, r2);
    if (scale == ConfidenceScale.POOL) {
      log.printf(java.util.Locale.ROOT, "loop %d: pool rewards mean %.4f, std %.4f: s = sigmoid((r - mean) / std)%n", loop, scaled.center(), scaled.spread());
    }
    return scaled;
  }

  /** The stop reason when a loop selected fewer than {@code minNew} new pairs (logged), else null. */
  static String fewNew(int selected, int minNew, int loop, PrintWriter log) {
    if (selected >= minNew) {
      return null;
    }
    log.printf("loop %d: %d new confident pairs, fewer than %d: stop%n", loop, selected, minNew);
    return "few-new (" + selected + " < " + minNew + ")";
  }

  /** Marks the selected pairs as taken from the pool; returns how many self-labels agree with the hidden human labels. */
  static int take(List<SelfLabel> selected, BitSet taken, org.ser4j.data.GoldLabels gold) {
    int agree = 0;
    for (SelfLabel s : selected) {
      taken.set(s.pair().key());
      agree += s.firstPreferred() == gold.firstPreferred(s.pair()) ? 1 : 0;
    }
    return agree;
  }

  private String stopReasonOnDisk() throws IOException {
    return RunStore.JSON.readTree(store.dir().resolve(RunStore.REPORT).toFile()).path("stop_reason").asText();
  }

  /** The loop whose RM is kept: the last with {@code keepLast}, else the highest validation accuracy, the later loop on ties. */
  static int finalLoop(List<LoopReport> loops, boolean keepLast) {
    if (keepLast) {
      return loops.size() - 1;
    }
    int best = 0;
    for (int i = 1; i < loops.size(); i++) {
      if (!(loops.get(i).validationAccuracy() < loops.get(best).validationAccuracy())) {
        best = i;
      }
    }
    return best;
  }

  private RewardTrainer trainer(int loop) {
    return new RewardTrainer(config.train().withSeed(seed + loop), progress);
  }

  private static PairFeatures selfLabeled(List<SelfLabel> labels, SerInputs in) {
    float[][] c = new float[labels.size()][];
    float[][] r = new float[labels.size()][];
    for (int i = 0; i < labels.size(); i++) {
      SelfLabel s = labels.get(i);
      int k = s.pair().key();
      c[i] = s.firstPreferred() ? in.poolFirst()[k] : in.poolSecond()[k];
      r[i] = s.firstPreferred() ? in.poolSecond()[k] : in.poolFirst()[k];
    }
    return new PairFeatures(c, r);
  }

  private LoopReport report(int loop, String status, String rule, List<SelfLabel> selected, int total, Double precision, int poolLeft,
      int trainPairs, TrainedHead head, RewardModel model, PairFeatures validation, PairFeatures test, long t0) {
    return new LoopReport(loop, status, rule, selected.size(), total, precision, poolLeft, trainPairs,
        head.best().trainLoss(), nanToZero(head.best().validationLoss()), accuracy(model, validation), accuracy(model, test), head.bestEpoch(),
        (System.nanoTime() - t0) / 1e9);
  }

  private static double nanToZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  static double accuracy(RewardModel model, PairFeatures pairs) {
    if (pairs.size() == 0) {
      return 0;
    }
    int right = 0;
    for (int i = 0; i < pairs.size(); i++) {
      right += model.score(pairs.chosen()[i]) > model.score(pairs.rejected()[i]) ? 1 : 0;
    }
    return (double) right / pairs.size();
  }

  private Map<String, Object> provenance(int loop, int trainPairs) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("command", "evolve");
    p.put("loop", loop);
    p.put("train_pairs", trainPairs);
    p.put("seed", seed);
    p.put("ser_config", config);
    return p;
  }

  private void save(int loop, RewardModel model, List<SelfLabel> selected, List<LoopReport> loops, String stop, boolean finished) throws IOException {
    if (store == null) {
      return;
    }
    store.saveLoop(loop, model, selected);
    writeReport(loops, stop, finished);
  }

  private void writeReport(List<LoopReport> loops, String stop, boolean finished) throws IOException {
    writeReport(store, loops, stop, finished, config.keepLast(), null);
  }

  /** report.json: every loop so far, the kept loop, why it stopped; {@code finetune} names the training mode when the encoder learns. */
  static void writeReport(RunStore store, List<LoopReport> loops, String stop, boolean finished, boolean keepLast, String finetune) throws IOException {
    ObjectNode report = RunStore.JSON.createObjectNode();
    report.put("finished", finished);
    if (stop != null) {
      report.put("stop_reason", stop);
    }
    report.put("final_loop", finalLoop(loops, keepLast));
    report.put("finetune", finetune == null ? "none" : finetune);
    report.set("loops", RunStore.JSON.valueToTree(loops));
    store.writeReport(report);
  }

  private void logLoop(LoopReport r) {
    logLoop(log, r);
  }

  static void logLoop(PrintWriter log, LoopReport r) {
    log.printf(Locale.ROOT, "loop %d [%s, rule %s]: selected %d (total %d, precision %s), pool left %d, train pairs %d, validation %.4f, test %.4f, %.1fs%n",
        r.loop(), r.status(), r.rule(), r.selected(), r.selectedTotal(),
        r.selfLabelPrecision() == null ? "-" : String.format(Locale.ROOT, "%.3f", r.selfLabelPrecision()),
        r.poolRemaining(), r.trainPairs(), r.validationAccuracy(), r.testAccuracy(), r.seconds());
    log.flush();
  }
}
