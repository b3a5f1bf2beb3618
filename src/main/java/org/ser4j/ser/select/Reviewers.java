package org.ser4j.ser.select;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ser4j.model.PairRewards;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.model.learn.TrainingSet;

/**
 * The second opinion ({@code --reviewers}): a loop's selections without the pairs where any of the
 * reviewers (RMs fitted on bootstrap samples of the seed's training part, plus the self-labels so
 * far) prefers the other answer.
 */
public final class Reviewers implements SelfLabelFilter {
  private final RewardLearner learner;
  private final int count;
  private final int[] seed;
  private final TrainingSet validation;
  private final double selfLabelWeight;
  private final long runSeed;

  /**
   * @param seed the seed's training positions, resampled per reviewer
   * @param validation what reviewers early-stop on
   */
  public Reviewers(
      RewardLearner learner,
      int count,
      int[] seed,
      TrainingSet validation,
      double selfLabelWeight,
      long runSeed) {
    this.learner = learner;
    this.count = count;
    this.seed = seed;
    this.validation = validation;
    this.selfLabelWeight = selfLabelWeight;
    this.runSeed = runSeed;
  }

  @Override
  public List<SelfLabel> apply(List<SelfLabel> selected, List<SelfLabel> earlier, int loop)
      throws IOException {
    if (selected.isEmpty()) {
      return selected;
    }
    long reviewSeed = runSeed + loop;
    TrainingSet asLabeled = new TrainingSet(new int[0], selected);
    boolean[] agree = new boolean[selected.size()];
    Arrays.fill(agree, true);
    Random random = new Random(reviewSeed * 131 + 7);
    int n = seed.length;
    learner
        .progress()
        .asOneTask(
            "reviewers",
            count,
            "fits",
            task -> {
              for (int k = 0; k < count; k++) {
                int[] sample = new int[n];
                for (int i = 0; i < n; i++) {
                  sample[i] = seed[random.nextInt(n)];
                }
                TrainingSet train = new TrainingSet(sample, earlier, selfLabelWeight);
                var reviewer = learner.fit(train, validation, reviewSeed + k, null).model();
                PairRewards r = learner.rewards(reviewer, asLabeled);
                for (int i = 0; i < agree.length; i++) {
                  agree[i] &= r.chosen()[i] > r.rejected()[i];
                }
                task.step(1);
              }
            });
    List<SelfLabel> out = new ArrayList<>();
    for (int i = 0; i < agree.length; i++) {
      if (agree[i]) {
        out.add(selected.get(i));
      }
    }
    return out;
  }
}
