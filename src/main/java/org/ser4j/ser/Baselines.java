package org.ser4j.ser;

import org.ser4j.data.UnlabeledPair;
import org.ser4j.model.PairFeatures;
import org.ser4j.model.RewardModel;
import org.ser4j.model.RewardTrainer;
import org.ser4j.model.TrainedHead;
import org.ser4j.util.Progress;

/**
 * The paper's "full" baseline: the RM trained on every training pair with its human label (the
 * seed's training part plus the whole pool, oriented by the gold labels), early-stopped on the
 * same validation slice as SER, so that the three RMs differ only in their training labels.
 */
public final class Baselines {
  private Baselines() {}

  public static RewardModel full(SerInputs in, SerConfig config, long seed) {
    PairFeatures[] split = SerLoop.splitSeed(in.labeled(), config.validationFraction(), seed);
    int n = in.pool().size();
    float[][] c = new float[n][];
    float[][] r = new float[n][];
    for (int i = 0; i < n; i++) {
      UnlabeledPair p = in.pool().get(i);
      boolean first = in.gold().firstPreferred(p);
      c[i] = first ? in.poolFirst()[p.key()] : in.poolSecond()[p.key()];
      r[i] = first ? in.poolSecond()[p.key()] : in.poolFirst()[p.key()];
    }
    PairFeatures all = split[0].concat(new PairFeatures(c, r));
    TrainedHead head = new RewardTrainer(config.train().withSeed(seed), Progress.quiet()).train(all, split[1]);
    return new RewardModel(in.encoder(), head.normalizer(), head.head(), java.util.Map.of("command", "experiment", "baseline", "full", "seed", seed));
  }

  public static double testAccuracy(RewardModel model, SerInputs in) {
    return SerLoop.accuracy(model, in.test());
  }
}
