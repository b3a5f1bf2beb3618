package org.ser4j.ser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.SerDataset;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.PairEncoding;
import org.ser4j.data.GoldLabels;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.model.PairFeatures;

/**
 * Everything a SER run works on, already encoded: the labeled seed, the unlabeled pool (vectors
 * of its first and second answers, indexed by {@link UnlabeledPair#key()}), the pool's hidden
 * gold labels (for measuring only), and the test set (for reporting only).
 */
public record SerInputs(
    PairFeatures labeled,
    List<UnlabeledPair> pool,
    float[][] poolFirst,
    float[][] poolSecond,
    GoldLabels gold,
    PairFeatures test,
    EncoderConfig encoder) {

  /** Encodes a dataset in one pass (one length-sorted encoder run over every text; cached texts are free). */
  public static SerInputs encode(Featurizer featurizer, SerDataset data) throws IOException {
    List<ResponseInput> inputs = new ArrayList<>();
    for (UnlabeledPair p : data.pool()) {
      inputs.add(new ResponseInput(p.prompt(), p.first()));
      inputs.add(new ResponseInput(p.prompt(), p.second()));
    }
    List<PairFeatures> pairs = PairEncoding.features(featurizer, data.labeled(), data.test());
    float[][] pool = featurizer.features(inputs);
    float[][] first = new float[data.pool().size()][];
    float[][] second = new float[data.pool().size()][];
    for (UnlabeledPair p : data.pool()) {
      first[p.key()] = pool[2 * p.key()];
      second[p.key()] = pool[2 * p.key() + 1];
    }
    return new SerInputs(pairs.get(0), data.pool(), first, second, data.gold(), pairs.get(1), featurizer.config());
  }
}
