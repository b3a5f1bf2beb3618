package org.ser4j.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Random;
import org.ser4j.model.Provenance;
import org.ser4j.model.head.FeatureNormalizer;
import org.ser4j.model.head.HeadModel;
import org.ser4j.model.head.LinearHead;
import org.ser4j.model.head.PairFeatures;
import org.ser4j.model.head.RewardTrainer;
import org.ser4j.model.head.TrainConfig;
import org.ser4j.util.Json;
import org.ser4j.util.Progress;

/**
 * The linear head on random 768-d features: training pairs/s, and seconds to score cached pairs.
 */
public final class HeadBench {
  private static final int DIMENSION = 768;

  private HeadBench() {}

  /** Keys head_train_pairs_per_s, score_pairs, score_seconds. */
  public static ObjectNode measure(int scorePairs) throws Exception {
    ObjectNode row = Json.PRETTY.createObjectNode();
    PairFeatures synthetic = randomPairs(20_000, DIMENSION, 1);
    TrainConfig train = TrainConfig.defaults().withMaxEpochs(5).withPatience(5);
    double trainSeconds =
        Timing.seconds(() -> new RewardTrainer(train, Progress.quiet()).train(synthetic));
    row.put(
        "head_train_pairs_per_s",
        5.0 * synthetic.size() * (1 - train.validationFraction()) / trainSeconds);

    PairFeatures cached = randomPairs(scorePairs, DIMENSION, 2);
    HeadModel model =
        new HeadModel(
            null,
            FeatureNormalizer.fit(cached.chosen()),
            new LinearHead(DIMENSION),
            Provenance.UNKNOWN);
    model.score(cached.chosen()[0]);
    row.put("score_pairs", scorePairs);
    row.put(
        "score_seconds",
        Timing.seconds(
            () -> {
              model.score(cached.chosen());
              model.score(cached.rejected());
            }));
    return row;
  }

  static PairFeatures randomPairs(int n, int d, long seed) {
    Random r = new Random(seed);
    float[][] c = new float[n][d];
    float[][] x = new float[n][d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        c[i][k] = (float) r.nextGaussian();
        x[i][k] = (float) r.nextGaussian();
      }
    }
    return new PairFeatures(c, x);
  }
}
