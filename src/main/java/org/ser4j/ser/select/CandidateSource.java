package org.ser4j.ser.select;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.model.PairRewards;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.Comparison;
import org.ser4j.model.learn.RewardLearner;

/**
 * Step 1 of a SER loop: the comparisons a loop may self-label, scored by its current RM. The pool
 * pairs a run has not used yet ({@link #poolPairs()}); with West-of-N also each prompt's best
 * against its worst answer ({@link #westOfN()}). A new source (a pool read from elsewhere, pairs
 * built another way) is another implementation.
 */
public interface CandidateSource {
  /** {@code model}'s candidates from {@code pool}, less what the run has {@code taken}. */
  Candidates score(RewardLearner learner, TrainedModel model, List<UnlabeledPair> pool, Taken taken)
      throws IOException;

  /**
   * Scored candidates: the comparisons and their answers' rewards (first answers as chosen), the
   * rewards of the plain pool pairs among them (the pool's scale is read from these alone: built
   * pairs repeat answers), and how many pool pairs were left to choose from.
   */
  record Candidates(
      List<Comparison> comparisons, PairRewards rewards, PairRewards poolPairs, int poolLeft) {}

  static CandidateSource of(SelectionOptions options) {
    return options.westOfN() ? westOfN() : poolPairs();
  }

  /** The pool pairs not self-labeled yet. */
  static CandidateSource poolPairs() {
    return (learner, model, pool, taken) -> {
      List<UnlabeledPair> left = pool.stream().filter(p -> !taken.has(p)).toList();
      PairRewards r = learner.poolRewards(model, left);
      return new Candidates(left.stream().map(Comparison::of).toList(), r, r, left.size());
    };
  }

  /**
   * The pool pairs not self-labeled yet, then, for each prompt no pair was built for yet, its best
   * answer against its worst ({@link WestOfN}); one scoring serves both.
   */
  static CandidateSource westOfN() {
    return (learner, model, pool, taken) -> {
      List<UnlabeledPair> scoredPairs = new ArrayList<>();
      List<Integer> left = new ArrayList<>();
      List<Integer> open = new ArrayList<>();
      for (UnlabeledPair p : pool) {
        boolean isLeft = !taken.has(p);
        boolean isOpen = !taken.builtFor(p);
        if (isLeft) {
          left.add(scoredPairs.size());
        }
        if (isOpen) {
          open.add(scoredPairs.size());
        }
        if (isLeft || isOpen) {
          scoredPairs.add(p);
        }
      }
      PairRewards scored = learner.poolRewards(model, scoredPairs);
      int[] leftAt = left.stream().mapToInt(Integer::intValue).toArray();
      int[] openAt = open.stream().mapToInt(Integer::intValue).toArray();
      PairRewards plain = scored.select(leftAt);
      List<Comparison> comparisons = new ArrayList<>(leftAt.length);
      for (int i : leftAt) {
        comparisons.add(Comparison.of(scoredPairs.get(i)));
      }
      WestOfN.Built built =
          WestOfN.build(
              java.util.Arrays.stream(openAt).mapToObj(scoredPairs::get).toList(),
              scored.select(openAt));
      comparisons.addAll(built.comparisons());
      return new Candidates(
          comparisons,
          plain.concat(new PairRewards(built.best(), built.worst())),
          plain,
          leftAt.length);
    };
  }
}
