package org.ser4j.ser.select;

import java.io.IOException;
import java.util.List;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.model.learn.SelfLabel;

/**
 * The unlabeled pool as a SER loop reads it: how many pairs it has and has left, and steps 1 and 2
 * of a loop (score the candidates, pick). In this process ({@link #inMemory}), or where the pool
 * lives on a cluster's executors (ser4j-spark): there it is scored and picked from by the rule's
 * decision on each pair ({@link PairSelection#each}, {@link PairSelection#eachOnScale}) or its
 * quota over a ranking ({@link PairSelection#ranked}); for a rule with neither, only the pairs that
 * pass its {@link PairSelection#necessary} test come back for it to pick from.
 */
public interface Pool {
  /** Pool pairs in all. */
  long size();

  /** Pool pairs not {@code taken} yet. */
  long left(Taken taken);

  /** {@code model}'s picks among the candidates not {@code taken}, by the loop's rule. */
  Round pick(TrainedModel model, Taken taken, PairSelection.Context context) throws IOException;

  /**
   * The pairs that a run's saved self-labels name, found by their keys in the run's files ({@code
   * keys}) or their content ids ({@code ids}, 0 where a file has none), as a lookup by saved key. A
   * pool held in this process keeps its keys from run to run.
   */
  default java.util.function.IntFunction<UnlabeledPair> saved(int[] keys, long[] ids) {
    throw new UnsupportedOperationException("this pool does not read saved self-labels");
  }

  /**
   * The labels people added to the run ({@code data}'s), with the pool pairs they decide keyed as
   * this pool keys them (in this process: the data's own keys).
   */
  default org.ser4j.data.split.SerDataset.AddedLabels added(org.ser4j.data.split.SerDataset data) {
    return data.added();
  }

  /**
   * Hands {@code each} every one of {@code labels} with its pair's texts, in the labels' order, to
   * be written and let go. A pool kept elsewhere gives its picks no texts here (only keys) and
   * brings them a part at a time, in key order (a loop's picks' order), its built (West-of-N) pairs
   * after them in their order; in this process the pairs have their texts already.
   */
  default void withTexts(List<SelfLabel> labels, LabelSink each) throws IOException {
    for (SelfLabel s : labels) {
      each.accept(s);
    }
  }

  /**
   * Writes {@code labels} with their pairs' texts to {@code file}, a line each ({@code format}) in
   * the labels' order, and replaces {@code file} only once it is whole. Here one file; a pool kept
   * elsewhere may write a directory of that name instead, of part files where its texts are, read
   * in name order ({@code RunStore.selectedLines}).
   */
  default void writeWithTexts(java.nio.file.Path file, List<SelfLabel> labels, LineFormat format)
      throws IOException {
    org.ser4j.util.AtomicFiles.write(
        file,
        out ->
            withTexts(
                labels,
                s -> {
                  out.write(format.line(s));
                  out.write('\n');
                }));
  }

  /** A self-label's line as a run saves it; serializable, to be written where the texts are. */
  @FunctionalInterface
  interface LineFormat extends java.io.Serializable {
    byte[] line(SelfLabel label) throws IOException;
  }

  /** Where {@link #withTexts} hands each self-label. */
  @FunctionalInterface
  interface LabelSink {
    void accept(SelfLabel label) throws IOException;
  }

  /**
   * For each of {@code labels}, whether its chosen answer is the longer one (length balance and the
   * loop's diagnostics), where the texts are.
   */
  default boolean[] chosenLonger(List<SelfLabel> labels) {
    return LengthBalance.chosenLonger(labels);
  }

  /**
   * An empty list for a run's self-labels of this pool's pairs, to be appended to: the run's so far
   * and each fold run's. A pool elsewhere holds millions of picks, so packs them.
   */
  default List<SelfLabel> newSelfLabels() {
    return new java.util.ArrayList<>();
  }

  /**
   * What a run (or a fold run) has taken of this pool so far: nothing self-labeled yet, the pool
   * pairs {@code excluded} (labeled by people) never selected; its bits on the heap by default.
   */
  default Taken newTaken(java.util.BitSet excluded) {
    return Taken.excluding(excluded);
  }

  /** A loop's picks and the number of pool pairs it chose from. */
  record Round(PairSelection.Picked picked, long poolLeft) {}

  /** A pool held in this process: every candidate scored by {@code learner}, then picked. */
  static Pool inMemory(
      RewardLearner learner,
      List<UnlabeledPair> pairs,
      CandidateSource candidates,
      PairSelection selection) {
    return new Pool() {
      @Override
      public long size() {
        return pairs.size();
      }

      @Override
      public java.util.function.IntFunction<UnlabeledPair> saved(int[] keys, long[] ids) {
        return UnlabeledPair.byKey(pairs);
      }

      @Override
      public long left(Taken taken) {
        return pairs.stream().filter(p -> !taken.has(p)).count();
      }

      @Override
      public Round pick(TrainedModel model, Taken taken, PairSelection.Context context)
          throws IOException {
        CandidateSource.Candidates c = candidates.score(learner, model, pairs, taken);
        return new Round(selection.pick(c, context), c.poolLeft());
      }
    };
  }
}
