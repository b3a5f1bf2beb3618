package org.ser4j.ser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.SerDataset;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.data.PreferencePair;
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
    for (List<PreferencePair> pairs : List.of(data.labeled(), data.test())) {
      for (PreferencePair p : pairs) {
        inputs.add(new ResponseInput(p.prompt(), p.chosen()));
        inputs.add(new ResponseInput(p.prompt(), p.rejected()));
      }
    }
    for (UnlabeledPair p : data.pool()) {
      inputs.add(new ResponseInput(p.prompt(), p.first()));
      inputs.add(new ResponseInput(p.prompt(), p.second()));
    }
    float[][] all = featurizer.features(inputs);
    int at = 0;
    PairFeatures[] pairs = new PairFeatures[2];
    for (int k = 0; k < 2; k++) {
      int n = (k == 0 ? data.labeled() : data.test()).size();
      float[][] c = new float[n][];
      float[][] r = new float[n][];
      for (int i = 0; i < n; i++) {
        c[i] = all[at++];
        r[i] = all[at++];
      }
      pairs[k] = new PairFeatures(c, r);
    }
    // Pool keys are positions in the pool, so the vectors can be indexed by key.
    float[][] first = new float[data.pool().size()][];
    float[][] second = new float[data.pool().size()][];
    for (UnlabeledPair p : data.pool()) {
      first[p.key()] = all[at++];
      second[p.key()] = all[at++];
    }
    return new SerInputs(pairs[0], data.pool(), first, second, data.gold(), pairs[1], featurizer.config());
  }
}
