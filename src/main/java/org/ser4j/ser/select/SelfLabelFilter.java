package org.ser4j.ser.select;

import java.io.IOException;
import java.util.List;
import org.ser4j.model.learn.SelfLabel;

/**
 * Step 3 of a SER loop: a second look at a loop's selections before it trains on them (reviewers,
 * length balance). Filters run in order, each on what the one before kept.
 */
public interface SelfLabelFilter {
  /**
   * What to keep of loop {@code loop}'s {@code selected}, given the self-labels of the loops before
   * it ({@code earlier}).
   */
  List<SelfLabel> apply(List<SelfLabel> selected, List<SelfLabel> earlier, int loop)
      throws IOException;

  /**
   * A run's filters, in order: reviewers (with {@code reviewers >= 2}: models fitted on the seed
   * positions {@code train}, early-stopped on {@code validation}), then length balance to the
   * seed's share {@code seedLongerShare} of longer chosen answers (when asked), each pair's length
   * told by {@code chosenLonger}.
   */
  static java.util.List<SelfLabelFilter> of(
      SelectionOptions options,
      org.ser4j.model.learn.RewardLearner learner,
      int[] train,
      org.ser4j.model.learn.TrainingSet validation,
      double selfLabelWeight,
      double seedLongerShare,
      java.util.function.Function<List<SelfLabel>, boolean[]> chosenLonger,
      long seed) {
    java.util.List<SelfLabelFilter> filters = new java.util.ArrayList<>();
    if (options.reviewers() >= 2) {
      filters.add(
          new Reviewers(learner, options.reviewers(), train, validation, selfLabelWeight, seed));
    }
    if (options.balanceLength()) {
      filters.add(lengthBalance(seedLongerShare, chosenLonger));
    }
    return filters;
  }

  /**
   * Length balance ({@link LengthBalance}): the seed's share of longer chosen answers; {@code
   * chosenLonger} tells which selected pairs' chosen answer is the longer (where the texts are).
   */
  static SelfLabelFilter lengthBalance(
      double seedLongerShare,
      java.util.function.Function<List<SelfLabel>, boolean[]> chosenLonger) {
    return (selected, earlier, loop) ->
        LengthBalance.match(selected, chosenLonger.apply(selected), seedLongerShare);
  }
}
