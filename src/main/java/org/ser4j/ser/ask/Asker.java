package org.ser4j.ser.ask;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.model.Loss;
import org.ser4j.model.PairRewards;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.PairGeometry;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.model.learn.TrainingSet;

/**
 * Asks: which of {@code candidates} people should label next, by a strategy, for a model trained on
 * the human labels {@code held} (seed positions of the learner's data). The candidates must exclude
 * every pair already labeled, by people or by the RM itself; the caller knows which those are.
 */
public final class Asker {
  /** A pair to label, its rank, the RM's probability that its first answer wins, the score. */
  public record Question(int rank, UnlabeledPair pair, double pFirst, double score) {}

  /** Bootstrap heads for the ensemble strategy. */
  public static final int ENSEMBLE_HEADS = 5;

  private Asker() {}

  public static List<Question> ask(
      RewardLearner learner,
      TrainedModel model,
      List<UnlabeledPair> candidates,
      int[] held,
      Acquisition strategy,
      int n,
      long seed)
      throws IOException {
    PairRewards r = learner.poolRewards(model, candidates);
    double[] p = probabilities(r);
    float[][] diff;
    float[][] heldDiff;
    double[] heldP;
    float[] rawScale = null;
    if (strategy.readsDifferences()) {
      if (!(learner instanceof PairGeometry g)) {
        throw new IllegalArgumentException(
            "--strategy "
                + strategy.name()
                + " needs the pairs' places in the reward head's input space, which this learner does not give; use uncertainty, ensemble or random");
      }
      TrainingSet heldSet = TrainingSet.labeled(held);
      diff = g.poolDifferences(model, candidates);
      heldDiff = g.differences(model, heldSet);
      heldP = probabilities(learner.rewards(model, heldSet));
      rawScale = g.rawScale(model);
    } else {
      diff = new float[candidates.size()][0];
      heldDiff = new float[0][0];
      heldP = null;
    }
    double[][] ensemble =
        strategy.readsEnsemble() ? ensemble(learner, candidates, held, seed, ENSEMBLE_HEADS) : null;
    List<Acquisition.Pick> picks =
        strategy.pick(new AskPool(diff, p, heldDiff, heldP, ensemble, rawScale), n);
    List<Question> out = new ArrayList<>(picks.size());
    for (Acquisition.Pick pick : picks) {
      out.add(
          new Question(
              out.size() + 1, candidates.get(pick.index()), p[pick.index()], pick.score()));
    }
    return out;
  }

  /** Each head: fitted on a bootstrap resample of the human labels; its probabilities. */
  private static double[][] ensemble(
      RewardLearner learner, List<UnlabeledPair> candidates, int[] held, long seed, int heads)
      throws IOException {
    Random random = new Random(seed * 31 + 17);
    double[][] out = new double[heads][];
    for (int h = 0; h < heads; h++) {
      int[] sample = new int[held.length];
      for (int i = 0; i < sample.length; i++) {
        sample[i] = held[random.nextInt(held.length)];
      }
      TrainedModel m =
          learner.fit(TrainingSet.labeled(sample), TrainingSet.none(), seed + h, null).model();
      out[h] = probabilities(learner.poolRewards(m, candidates));
    }
    return out;
  }

  private static double[] probabilities(PairRewards r) {
    return java.util.Arrays.stream(r.margins()).map(Loss::sigmoid).toArray();
  }
}
