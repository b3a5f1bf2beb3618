package org.ser4j.data.split;

import java.util.List;
import org.ser4j.data.GoldLabels;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.SkipCounts;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.format.PairReader;

/**
 * The data of one SER run: a labeled seed, an unlabeled pool with its gold labels set aside, and a
 * test set; plus the counts a report needs. Built by {@link #load(DataSpec)}.
 */
public record SerDataset(
    List<PreferencePair> labeled,
    List<UnlabeledPair> pool,
    GoldLabels gold,
    List<PreferencePair> test,
    Counts counts) {

  /** What was read and what was dropped on the way. */
  public record Counts(
      long trainRecords,
      long testRecords,
      SkipCounts trainSkipped,
      SkipCounts testSkipped,
      int tiesDropped,
      int trainPairs) {}

  public static SerDataset load(DataSpec spec) {
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
}
