package org.ser4j.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.ser4j.data.PreferencePair;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.ResponseInput;

/** From preference pairs to pair features, and the fingerprint of a training set. */
public final class PairEncoding {
  private PairEncoding() {}

  /**
   * Features of several pair lists in one encoder pass, so that all their texts are batched and
   * length-sorted together; one {@link PairFeatures} per list, in order.
   */
  @SafeVarargs
  public static List<PairFeatures> features(Featurizer featurizer, List<PreferencePair>... lists) throws IOException {
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

  /** SHA-256 (first 16 hex digits) over the pairs' ids and texts, in order: names the training data in provenance. */
  public static String fingerprint(List<PreferencePair> pairs) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (PreferencePair p : pairs) {
        for (String s : new String[] {p.id(), p.prompt().transcript(), p.chosen(), p.rejected()}) {
          sha.update(s.getBytes(StandardCharsets.UTF_8));
          sha.update((byte) 0);
        }
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Rewards of chosen and rejected of every pair: {chosen[], rejected[]}. */
  public static double[][] rewards(RewardModel model, PairFeatures pairs) {
    return new double[][] {model.score(pairs.chosen()), model.score(pairs.rejected())};
  }
}
