package org.ser4j.model.head;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.PreferencePair;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.ResponseInput;

/** From preference pairs to pair features. */
public final class PairEncoding {
  private PairEncoding() {}

  /**
   * Features of several pair lists in one encoder pass, so that all their texts are batched and
   * length-sorted together; one {@link PairFeatures} per list, in order.
   */
  @SafeVarargs
  public static List<PairFeatures> features(Featurizer featurizer, List<PreferencePair>... lists)
      throws IOException {
    List<ResponseInput> inputs = new ArrayList<>();
    for (List<PreferencePair> pairs : lists) {
      for (PreferencePair p : pairs) {
        inputs.add(new ResponseInput(p.prompt(), p.chosen()));
        inputs.add(new ResponseInput(p.prompt(), p.rejected()));
      }
    }
    float[][] all = featurizer.features(inputs);
    List<PairFeatures> out = new ArrayList<>(lists.length);
    int at = 0;
    for (List<PreferencePair> pairs : lists) {
      float[][] c = new float[pairs.size()][];
      float[][] r = new float[pairs.size()][];
      for (int i = 0; i < pairs.size(); i++) {
        c[i] = all[at++];
        r[i] = all[at++];
      }
      out.add(new PairFeatures(c, r));
    }
    return out;
  }
}
