package org.ser4j.ser;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ser4j.data.SerDataset;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.encoder.SequenceTokenizer;
import org.ser4j.encoder.TokenizedInput;
import org.ser4j.model.BertRewardNet;
import org.ser4j.model.FineTuneConfig;
import org.ser4j.model.FineTunedModel;
import org.ser4j.model.FineTuner;
import org.ser4j.model.SequencePairs;
import org.ser4j.util.Progress;

/**
 * The SER loop of {@link SerLoop} with a reward model whose encoder learns ({@link
 * FineTuneConfig#mode()} top:K, full or lora): each loop scores the pool with the current
 * fine-tuned network, selects the confident pairs the same way, and fine-tunes again (from the
 * pretrained weights, or from the last loop's with warm start). One network serves the whole run,
 * so the frozen lower layers (top:K) run once per text. Same run directory and report.json, with
 * the mode recorded; resumable after the last saved loop.
 */
public final class FineTunedSerLoop {
  private final SerConfig config;
  private final FineTuneConfig training;
  private final EncoderConfig encoder;
  private final int heads;
  private final long seed;
  private final RunStore store;
  private final Progress progress;
  private final PrintWriter log;
  private final Selector selector;
  private java.nio.file.Path layerCache;

  public FineTunedSerLoop(SerConfig config, FineTuneConfig training, EncoderConfig encoder, int heads, long seed, RunStore store, Progress progress, PrintWriter log) {
    this.config = config;
    this.training = training;
    this.encoder = encoder;
    this.heads = heads;
    this.seed = seed;
    this.store = store;
    this.progress = progress;
    this.log = log;
    this.selector = new Selector(config.thresholds());
  }

  /** Keeps the frozen lower layers' token states under {@code root} on disk (null: in memory only). */
  public FineTunedSerLoop cachingLowerLayersUnder(java.nio.file.Path root) {
    this.layerCache = root;
    return this;
  }

  /** Runs (or resumes) SER on {@code data}; the result's model is null: the kept loop's model is on disk. */
  public SerResult run(SerDataset data) throws IOException {
    try (SequenceTokenizer tokenizer = SequenceTokenizer.open(encoder.tokenizer(), encoder.maxLength());
        BertRewardNet net = BertRewardNet.pretrained(encoder.model(), heads, training.withSeed(seed))) {
      net.cacheLowerLayersUnder(layerCache, encoder);
      Map<ResponseInput, TokenizedInput> memo = new HashMap<>();
      SequencePairs labeled = SequencePairs.tokenize(data.labeled(), tokenizer, encoder.strategy(), memo);
      SequencePairs test = SequencePairs.tokenize(data.test(), tokenizer, encoder.strategy(), memo);
      List<UnlabeledPair> pool = data.pool();
      List<TokenizedInput> first = new ArrayList<>(pool.size());
      List<TokenizedInput> second = new ArrayList<>(pool.size());
      for (UnlabeledPair p : pool) {
        first.add(memo.computeIfAbsent(new ResponseInput(p.prompt(), p.first()), in -> tokenizer.sequence(in, encoder.strategy())));
        second.add(memo.computeIfAbsent(new ResponseInput(p.prompt(), p.second()), in -> tokenizer.sequence(in, encoder.strategy())));
      }
      int[][] idx = SerLoop.seedSplit(labeled.size(), config.validationFraction(), seed);
      SequencePairs seedTrain = labeled.select(idx[0]);
      SequencePairs validation = labeled.select(idx[1]);

      List<LoopReport> loops = new ArrayList<>(store.readLoops());
      List<SelfLabel> selectedSoFar = new ArrayList<>();
      BitSet taken = new BitSet(pool.size());
      if (loops.isEmpty()) {
        long t0 = System.nanoTime();
        FineTuner.Result r = new FineTuner(training.withSeed(seed), progress).train(net, seedTrain, validation);
        loops.add(report(0, "seed", "-", List.of(), 0, null, pool.size(), seedTrain.size(), r, net, validation, test, t0));
        save(0, net, List.of(), loops);
      } else {
        for (int loop = 1; loop < loops.size(); loop++) {
          for (int[] s : store.readSelected(loop)) {
            taken.set(s[0]);
            selectedSoFar.add(new SelfLabel(pool.get(s[0]), s[1] == 1, Double.NaN, Double.NaN, loop));
          }
        }
        log.printf(store.finished() ? "%2$s already finished after loop %1$d%n" : "resuming after loop %d of %s%n", loops.size() - 1, store.dir());
        if (store.finished()) {
          return new SerResult(loops, SerLoop.finalLoop(loops, config.keepLast()), "finished earlier", null);
        }
        net.load(store.loadFineTuned(loops.size() - 1).tensors());
      }
      SerLoop.logLoop(log, loops.get(loops.size() - 1));

      String stop = "max-loops";
      for (int loop = loops.size(); loop <= config.maxLoops(); loop++) {
        long t0 = System.nanoTime();
        List<UnlabeledPair> remaining = new ArrayList<>();
        for (UnlabeledPair p : pool) {
          if (!taken.get(p.key())) {
            remaining.add(p);
          }
        }
        List<TokenizedInput> toScore = new ArrayList<>(2 * remaining.size());
        remaining.forEach(p -> toScore.add(first.get(p.key())));
        remaining.forEach(p -> toScore.add(second.get(p.key())));
        double[] r = net.score(toScore, true, progress);
        double[] r1 = Arrays.copyOfRange(r, 0, remaining.size());
        double[] r2 = Arrays.copyOfRange(r, remaining.size(), r.length);
        Selector scaled = SerLoop.scaled(selector, config.scale(), r1, r2, loop, log);
        SelectionRule rule = config.rule();
        if (rule == SelectionRule.AUTO) {
          if (validation.size() > 0) {
            double[] v = net.score(validation.all(), true, Progress.quiet());
            rule = scaled.resolveAuto(Arrays.copyOfRange(v, 0, validation.size()), Arrays.copyOfRange(v, validation.size(), v.length));
          } else {
            rule = SelectionRule.GOOD_BAD;
          }
        }
        List<SelfLabel> selected = scaled.select(remaining, r1, r2, rule, loop);
        String few = SerLoop.fewNew(selected.size(), config.minNew(), loop, log);
        if (few != null) {
          stop = few;
          break;
        }
        int agree = SerLoop.take(selected, taken, data.gold());
        selectedSoFar.addAll(selected);
        List<TokenizedInput> c = new ArrayList<>();
        List<TokenizedInput> rj = new ArrayList<>();
        for (SelfLabel s : selectedSoFar) {
          int k = s.pair().key();
          c.add(s.firstPreferred() ? first.get(k) : second.get(k));
          rj.add(s.firstPreferred() ? second.get(k) : first.get(k));
        }
        SequencePairs train = seedTrain.concat(new SequencePairs(c, rj));
        if (!config.warmStart()) {
          net.restart(seed + loop);
        }
        FineTuner.Result result = new FineTuner(training.withSeed(seed + loop), progress).train(net, train, validation);
        LoopReport report = report(loop, selector.status(selected), rule.cliName(), selected, selectedSoFar.size(), (double) agree / selected.size(),
            remaining.size() - selected.size(), train.size(), result, net, validation, test, t0);
        loops.add(report);
        save(loop, net, selected, loops);
        SerLoop.logLoop(log, report);
        double bestBefore = loops.subList(0, loops.size() - 1).stream().mapToDouble(LoopReport::validationAccuracy).max().orElse(Double.NaN);
        if (!config.keepLast() && validation.size() > 0 && report.validationAccuracy() < bestBefore) {
          stop = "validation-fell";
          break;
        }
      }
      if (net.diskCacheSummary() != null) {
        log.println(net.diskCacheSummary());
      }
      SerLoop.writeReport(store, loops, stop, true, config.keepLast(), training.mode().cliName());
      return new SerResult(loops, SerLoop.finalLoop(loops, config.keepLast()), stop, null);
    }
  }

  /**
   * The full-label baseline of the same split: the seed's training part plus the whole pool with
   * its human labels, early-stopped on the same validation slice; returns test accuracy.
   */
  public double fullLabels(SerDataset data) throws IOException {
    List<org.ser4j.data.PreferencePair> all = new ArrayList<>();
    int[][] idx = SerLoop.seedSplit(data.labeled().size(), config.validationFraction(), seed);
    for (int i : idx[0]) {
      all.add(data.labeled().get(i));
    }
    for (UnlabeledPair p : data.pool()) {
      boolean firstWins = data.gold().firstPreferred(p);
      all.add(new org.ser4j.data.PreferencePair(p.id(), p.prompt(), firstWins ? p.first() : p.second(), firstWins ? p.second() : p.first(), p.source()));
    }
    List<org.ser4j.data.PreferencePair> val = new ArrayList<>();
    for (int i : idx[1]) {
      val.add(data.labeled().get(i));
    }
    try (SequenceTokenizer tokenizer = SequenceTokenizer.open(encoder.tokenizer(), encoder.maxLength());
        BertRewardNet net = BertRewardNet.pretrained(encoder.model(), heads, training.withSeed(seed))) {
      net.cacheLowerLayersUnder(layerCache, encoder);
      Map<ResponseInput, TokenizedInput> memo = new HashMap<>();
      SequencePairs train = SequencePairs.tokenize(all, tokenizer, encoder.strategy(), memo);
      SequencePairs validation = SequencePairs.tokenize(val, tokenizer, encoder.strategy(), memo);
      SequencePairs test = SequencePairs.tokenize(data.test(), tokenizer, encoder.strategy(), memo);
      new FineTuner(training.withSeed(seed), progress).train(net, train, validation);
      return accuracy(net, test);
    }
  }

  private LoopReport report(int loop, String status, String rule, List<SelfLabel> selected, int total, Double precision, int poolLeft, int trainPairs,
      FineTuner.Result result, BertRewardNet net, SequencePairs validation, SequencePairs test, long t0) {
    FineTuner.Epoch best = result.best();
    return new LoopReport(loop, status, rule, selected.size(), total, precision, poolLeft, trainPairs, best.trainLoss(),
        Double.isNaN(best.validationLoss()) ? 0 : best.validationLoss(), accuracy(net, validation), accuracy(net, test), result.bestEpoch(),
        (System.nanoTime() - t0) / 1e9);
  }

  private static double accuracy(BertRewardNet net, SequencePairs pairs) {
    if (pairs.size() == 0) {
      return 0;
    }
    double[] r = net.score(pairs.all(), true, Progress.quiet());
    int right = 0;
    for (int i = 0; i < pairs.size(); i++) {
      right += r[i] > r[pairs.size() + i] ? 1 : 0;
    }
    return (double) right / pairs.size();
  }

  private void save(int loop, BertRewardNet net, List<SelfLabel> selected, List<LoopReport> loops) throws IOException {
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("command", "evolve");
    provenance.put("loop", loop);
    provenance.put("train_pairs", loops.get(loops.size() - 1).trainPairs());
    provenance.put("seed", seed);
    provenance.put("ser_config", config);
    store.saveLoop(loop, FineTunedModel.of(net, encoder, heads, training.withSeed(seed + loop), provenance), selected);
    SerLoop.writeReport(store, loops, null, false, config.keepLast(), training.mode().cliName());
  }
}
