package org.ser4j.data.split;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ser4j.data.GoldLabels;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;
import org.ser4j.data.SkipCounts;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.UnlabeledReader;

/**
 * The data of one SER run: a labeled seed, an unlabeled pool (in the experiment, with its gold
 * labels set aside; for your own data, with none), a test set (maybe empty), and the counts a
 * report needs. Built by {@link #load(DataSpec)}.
 *
 * @param added the human labels added to the run after it began ({@link DataSpec#addedLabels()}),
 *     already part of {@code labeled}
 * @param notes what the user should be told about the data (ignored fields, left-out pairs)
 */
public record SerDataset(
    List<PreferencePair> labeled,
    List<UnlabeledPair> pool,
    GoldLabels gold,
    List<PreferencePair> test,
    Counts counts,
    AddedLabels added,
    List<String> notes) {

  public SerDataset {
    notes = List.copyOf(notes);
  }

  /**
   * Labels people added to a run after it began: how many pairs, and those that decide a pool pair
   * (pool key to whether its first answer was preferred). Those pairs stay in the pool, so that the
   * keys of a run's saved self-labels keep their meaning; the loop never selects them.
   */
  public record AddedLabels(int pairs, Map<Integer, Boolean> onPool) {
    public static final AddedLabels NONE = new AddedLabels(0, Map.of());

    public AddedLabels {
      onPool = Map.copyOf(onPool);
    }

    /** The pool keys people labeled. */
    public BitSet poolKeys() {
      BitSet keys = new BitSet();
      onPool.keySet().forEach(keys::set);
      return keys;
    }
  }

  /** A dataset with no labels added later and nothing to say. */
  public SerDataset(
      List<PreferencePair> labeled,
      List<UnlabeledPair> pool,
      GoldLabels gold,
      List<PreferencePair> test,
      Counts counts) {
    this(labeled, pool, gold, test, counts, AddedLabels.NONE, List.of());
  }

  /** What was read and what was dropped on the way. */
  public record Counts(
      long trainRecords,
      long testRecords,
      SkipCounts trainSkipped,
      SkipCounts testSkipped,
      int tiesDropped,
      int trainPairs) {}

  public static SerDataset load(DataSpec spec) {
    return spec.ownData() ? ownData(spec) : experiment(spec);
  }

  /** The experiment: one labeled file, its labels hidden except the seed's. */
  private static SerDataset experiment(DataSpec spec) {
    PairReader.ReadResult train = PairReader.readAll(spec.train(), spec.read());
    Splits.TieFilter trainTies = Splits.dropTies(train.pairs());
    List<PreferencePair> trainPairs;
    List<PreferencePair> testPairs;
    long testRecords;
    SkipCounts testSkipped;
    int ties = trainTies.dropped();
    if (spec.test() != null) {
      PairReader.ReadResult test = PairReader.readAll(spec.test(), spec.read());
      Splits.TieFilter testTies = Splits.dropTies(test.pairs());
      trainPairs = trainTies.kept();
      testPairs = testTies.kept();
      testRecords = test.records();
      testSkipped = test.skipped();
      ties += testTies.dropped();
    } else {
      Splits.TrainTest split = Splits.byPrompt(trainTies.kept(), spec.testFraction(), spec.seed());
      trainPairs = split.train();
      testPairs = split.test();
      testRecords = 0;
      testSkipped = new SkipCounts(0);
    }
    Splits.SeedAndPool seed = Splits.labeledSeed(trainPairs, spec.labeledFraction(), spec.seed());
    return new SerDataset(
        seed.labeled(),
        seed.pool(),
        seed.gold(),
        testPairs,
        new Counts(
            train.records(), testRecords, train.skipped(), testSkipped, ties, trainPairs.size()));
  }

  /**
   * Your own data: every human label of the labeled files (and of the files added later) is the
   * seed; the unlabeled file is the pool, less any pair that the labeled or test files already
   * compare (same prompt, same two answers in either order), which is left out and reported.
   */
  private static SerDataset ownData(DataSpec spec) {
    List<String> notes = new ArrayList<>();
    List<PreferencePair> labeled = new ArrayList<>();
    SkipCounts skipped = new SkipCounts(5);
    long records = 0;
    int ties = 0;
    for (Path file : spec.labeled()) {
      PairReader.ReadResult r = PairReader.readAll(file, spec.read());
      Splits.TieFilter t = Splits.dropTies(r.pairs());
      labeled.addAll(t.kept());
      records += r.records();
      ties += t.dropped();
      skipped.addAll(r.skipped());
    }
    List<PreferencePair> test = List.of();
    long testRecords = 0;
    SkipCounts testSkipped = new SkipCounts(0);
    if (spec.test() != null) {
      PairReader.ReadResult r = PairReader.readAll(spec.test(), spec.read());
      Splits.TieFilter t = Splits.dropTies(r.pairs());
      test = t.kept();
      testRecords = r.records();
      testSkipped = r.skipped();
      ties += t.dropped();
    }
    Map<String, PreferencePair> known = new HashMap<>();
    labeled.forEach(p -> known.put(contentKey(p.prompt(), p.chosen(), p.rejected()), p));
    test.forEach(p -> known.put(contentKey(p.prompt(), p.chosen(), p.rejected()), p));
    UnlabeledReader.Result read =
        spec.unlabeled() == null
            ? UnlabeledReader.Result.empty()
            : UnlabeledReader.read(spec.unlabeled(), spec.read().skipBad());
    notes.addAll(read.warnings());
    skipped.addAll(read.skipped()); // the pool's bad records, counted with the labels'
    List<UnlabeledPair> pool = new ArrayList<>(read.pairs().size());
    int overlap = 0;
    for (UnlabeledPair p : read.pairs()) {
      if (known.containsKey(contentKey(p.prompt(), p.first(), p.second()))) {
        overlap++;
        continue;
      }
      pool.add(
          new UnlabeledPair(pool.size(), p.id(), p.prompt(), p.first(), p.second(), p.source()));
    }
    if (overlap > 0) {
      notes.add(
          String.format(
              "%s: left out %d pool pair%s that the labeled or test data already compare%s",
              spec.unlabeled(),
              overlap,
              overlap == 1 ? "" : "s",
              " (same prompt, same two answers)"));
    }
    // Labels added later: part of the seed; the pool pairs they decide stay (keys are the run's).
    Map<String, Integer> poolKeys = new HashMap<>();
    for (UnlabeledPair p : pool) {
      poolKeys.put(contentKey(p.prompt(), p.first(), p.second()), p.key());
    }
    Map<Integer, Boolean> added = new HashMap<>();
    int addedPairs = 0;
    for (Path file : spec.addedLabels()) {
      PairReader.ReadResult r = PairReader.readAll(file, spec.read());
      Splits.TieFilter t = Splits.dropTies(r.pairs());
      labeled.addAll(t.kept());
      addedPairs += t.kept().size();
      records += r.records();
      ties += t.dropped();
      skipped.addAll(r.skipped());
      for (PreferencePair p : t.kept()) {
        Integer key = poolKeys.get(contentKey(p.prompt(), p.chosen(), p.rejected()));
        if (key != null) {
          added.put(key, pool.get(key).first().equals(p.chosen()));
        }
      }
    }
    if (pool.isEmpty() && spec.unlabeled() != null) {
      throw new IllegalArgumentException(
          spec.unlabeled()
              + ": no usable pool pair ("
              + read.pairs().size()
              + " read, "
              + overlap
              + " already in the labeled or test data)");
    }
    return new SerDataset(
        labeled,
        pool,
        GoldLabels.unknown(pool.size()),
        test,
        new Counts(records, testRecords, skipped, testSkipped, ties, labeled.size() + pool.size()),
        new AddedLabels(addedPairs, added),
        notes);
  }

  /** A comparison's identity: its prompt and its two answers, in either order. */
  static String contentKey(Prompt prompt, String a, String b) {
    String lo = a.compareTo(b) <= 0 ? a : b;
    String hi = lo == a ? b : a;
    return prompt.transcript() + '\u0000' + lo + '\u0000' + hi;
  }
}
