package org.ser4j.model;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.ResponseInput;

/**
 * A trained reward model, immutable: r(prompt, response) = head(normalize(features)). It knows
 * the exact encoder it needs (by fingerprint) and records where it came from (provenance).
 * P(a preferred over b) = sigmoid(r(a) - r(b)).
 */
public final class RewardModel {
  private final EncoderConfig encoder;
  private final FeatureNormalizer normalizer;
  private final RewardHead head;
  private final Map<String, Object> provenance;
  private final RewardScale scale;

  /** The head's parameters are rounded to float here, as saved, so a loaded model scores identically. */
  public RewardModel(EncoderConfig encoder, FeatureNormalizer normalizer, RewardHead head, Map<String, Object> provenance) {
    this(encoder, normalizer, head, provenance, RewardScale.NONE);
  }

  public RewardModel(EncoderConfig encoder, FeatureNormalizer normalizer, RewardHead head, Map<String, Object> provenance, RewardScale scale) {
    this.encoder = encoder;
    this.normalizer = normalizer;
    this.head = Heads.fromTensors(head.tensors());
    this.provenance = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(provenance));
    this.scale = scale;
  }

  /** The same model with {@code newScale} for what callers receive. */
  public RewardModel withScale(RewardScale newScale) {
    return new RewardModel(encoder, normalizer, head, provenance, newScale);
  }

  public RewardScale scale() {
    return scale;
  }

  /** What a caller receives for raw reward {@code raw}: the model's {@link RewardScale} applied. */
  public double scaled(double raw) {
    return scale.apply(raw);
  }

  public EncoderConfig encoder() {
    return encoder;
  }

  public FeatureNormalizer normalizer() {
    return normalizer;
  }

  public RewardHead head() {
    return head.copy();
  }

  public Map<String, Object> provenance() {
    return provenance;
  }

  /** The reward of one raw (unnormalized) feature vector. */
  public double score(float[] features) {
    return head.score(normalizer.apply(features));
  }

  public double[] score(float[][] features) {
    double[] out = new double[features.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = score(features[i]);
    }
    return out;
  }

  /** Rewards of texts, encoded (or found in the cache) by {@code featurizer}, which must be this model's encoder. */
  public double[] score(Featurizer featurizer, List<ResponseInput> inputs) throws IOException {
    EncoderConfig theirs = featurizer.config();
    if (!theirs.equals(encoder)) {
      throw new IllegalArgumentException("encoder mismatch: model needs " + encoder + ", featurizer has " + theirs);
    }
    return score(featurizer.features(inputs));
  }

  public static double probability(double rewardA, double rewardB) {
    return Loss.sigmoid(rewardA - rewardB);
  }
}
