package org.ser4j.model.head;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.GoldLabels;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.split.SerDataset;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.Featurizer;
import org.ser4j.model.PairRewards;

/**
 * Everything a SER run works on, already encoded: the labeled seed, the unlabeled pool (vectors of
 * its first and second answers, indexed by {@link UnlabeledPair#key()}), the pool's hidden gold
 * labels (for measuring only), and the test set (for reporting only).
 */
public record SerInputs(
    PairFeatures labeled,
    List<UnlabeledPair> pool,
    float[][] poolFirst,
    float[][] poolSecond,
    GoldLabels gold,
    PairFeatures test,
    EncoderConfig encoder)
    implements HeadFeatures {

  /**
   * Encodes a dataset in one pass (one length-sorted encoder run over every text; cached texts are
   * free).
   */
  public static SerInputs encode(Featurizer featurizer, SerDataset data) throws IOException {
    // The pool as pairs (first, second) so that one PairEncoding call covers all three sets.
    List<PreferencePair> pool = new ArrayList<>(data.pool().size());
    for (UnlabeledPair p : data.pool()) {
      pool.add(new PreferencePair(p.id(), p.prompt(), p.first(), p.second(), p.source()));
    }
    List<PairFeatures> f = PairEncoding.features(featurizer, data.labeled(), data.test(), pool);
    // Pool keys are positions in the pool, so the vectors are indexed by key as they come.
    return new SerInputs(
        f.get(0),
        data.pool(),
        f.get(2).chosen(),
        f.get(2).rejected(),
        data.gold(),
        f.get(1),
        featurizer.config());
  }

  @Override
  public PairFeatures pool(int[] keys) {
    return new PairFeatures(poolFirst, poolSecond).select(keys);
  }

  @Override
  public PairRewards poolRewards(HeadModel model, List<UnlabeledPair> pairs) {
    float[][] first = new float[pairs.size()][];
    float[][] second = new float[pairs.size()][];
    for (int i = 0; i < pairs.size(); i++) {
      first[i] = poolFirst[pairs.get(i).key()];
      second[i] = poolSecond[pairs.get(i).key()];
    }
    return new PairRewards(model.score(first), model.score(second));
  }
}
