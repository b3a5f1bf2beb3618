package org.ser4j.model.head;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.Loss;
import org.ser4j.model.ModelFormat;
import org.ser4j.model.ModelStore;
import org.ser4j.model.Provenance;
import org.ser4j.model.RewardScale;
import org.ser4j.model.RewardScorer;
import org.ser4j.model.Tensor;
import org.ser4j.model.TrainedModel;
import org.ser4j.util.Json;

/**
 * The frozen-encoder family's trained reward model, immutable: r(prompt, response) =
 * head(normalize(features)). It knows the exact encoder it needs (by fingerprint) and records where
 * it came from (provenance). P(a preferred over b) = sigmoid(r(a) - r(b)).
 */
public final class HeadModel implements TrainedModel {
  public static final String FORMAT = "ser4j-reward-model";
  private final EncoderConfig encoder;
  private final FeatureNormalizer normalizer;
  private final RewardHead head;
  private final Provenance provenance;
  private final RewardScale scale;

  /**
   * The head's parameters are rounded to float here, as saved, so a loaded model scores
   * identically.
   */
  public HeadModel(
      EncoderConfig encoder, FeatureNormalizer normalizer, RewardHead head, Provenance provenance) {
    this(encoder, normalizer, head, provenance, RewardScale.NONE);
  }

  public HeadModel(
      EncoderConfig encoder,
      FeatureNormalizer normalizer,
      RewardHead head,
      Provenance provenance,
      RewardScale scale) {
    this.encoder = encoder;
    this.normalizer = normalizer;
    this.head = Heads.fromTensors(head.tensors());
    this.provenance = provenance;
    this.scale = scale;
  }

  /** The same model with {@code newScale} for what callers receive. */
  @Override
  public HeadModel withScale(RewardScale newScale) {
    return new HeadModel(encoder, normalizer, head, provenance, newScale);
  }

  @Override
  public HeadModel withProvenance(Provenance p) {
    return new HeadModel(encoder, normalizer, head, p, scale);
  }

  @Override
  public RewardScale scale() {
    return scale;
  }

  @Override
  public EncoderConfig encoder() {
    return encoder;
  }

  public FeatureNormalizer normalizer() {
    return normalizer;
  }

  public RewardHead head() {
    return head.copy();
  }

  @Override
  public Provenance provenance() {
    return provenance;
  }

  /** The reward of one raw (unnormalized) feature vector. */
  public double score(float[] features) {
    return head.score(normalizer.apply(features));
  }

  /**
   * The rewards of raw feature vectors, each as {@link #score(float[])} gives it; large sets in
   * chunks on every core (rows are independent, so the result does not depend on the split). Rows
   * are standardized a block at a time into rows reused for the whole chunk, not copied whole.
   */
  public double[] score(float[][] features) {
    double[] out = new double[features.length];
    int chunks = (features.length + CHUNK - 1) / CHUNK;
    java.util.stream.IntStream stream = java.util.stream.IntStream.range(0, chunks);
    (chunks > 1 ? stream.parallel() : stream)
        .forEach(
            c -> {
              float[][] block = new float[BLOCK][head.inputDimension()];
              double[] part = new double[BLOCK];
              int end = Math.min(features.length, (c + 1) * CHUNK);
              for (int from = c * CHUNK; from < end; from += BLOCK) {
                int n = Math.min(BLOCK, end - from);
                for (int k = 0; k < n; k++) {
                  normalizer.applyInto(features[from + k], block[k]);
                }
                head.scoreRows(block, null, 0, n, part);
                System.arraycopy(part, 0, out, from, n);
              }
            });
    return out;
  }

  /** Rows scored per task, and rows standardized at a time within it (they stay in cache). */
  private static final int CHUNK = 4096;

  private static final int BLOCK = 64;

  /**
   * Rewards of texts, encoded (or found in the cache) by {@code featurizer}, which must be this
   * model's encoder.
   */
  public double[] score(Featurizer featurizer, List<ResponseInput> inputs) throws IOException {
    EncoderConfig theirs = featurizer.config();
    if (!theirs.equals(encoder)) {
      throw new IllegalArgumentException(
          "encoder mismatch: model needs " + encoder + ", featurizer has " + theirs);
    }
    return score(featurizer.features(inputs));
  }

  public static double probability(double rewardA, double rewardB) {
    return Loss.sigmoid(rewardA - rewardB);
  }

  @Override
  public RewardScorer open(EncoderRuntime runtime) throws IOException {
    return new FeatureScorer(this, runtime.open(encoder));
  }

  @Override
  public String describe() {
    return "frozen "
        + encoder.name()
        + " + "
        + (head instanceof MlpHead ? "mlp" : "linear")
        + " head";
  }

  /**
   * The head's tensors and the feature normalizer in the weights file; the head's shape in
   * config.json.
   */
  @Override
  public void save(Path dir) throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>(head.tensors());
    tensors.put(
        "normalizer.mean", new Tensor(new long[] {normalizer.mean().length}, normalizer.mean()));
    tensors.put(
        "normalizer.std", new Tensor(new long[] {normalizer.std().length}, normalizer.std()));
    ObjectNode config = Json.CANONICAL.createObjectNode();
    ObjectNode h = config.putObject("head");
    h.put("type", head instanceof MlpHead ? "mlp" : "linear");
    h.put("input_dim", head.inputDimension());
    h.put("hidden", head instanceof MlpHead mlp ? mlp.hidden() : 0);
    h.put(
        "reward",
        "r = head((features - normalizer.mean) / normalizer.std); P(a > b) = sigmoid(r(a) - r(b))");
    ModelStore.write(dir, FORMAT, tensors, config, this);
  }

  /** A frozen-encoder model directory (fails on a directory of another family). */
  public static HeadModel load(Path dir) throws IOException {
    return new Format().load(dir, ModelStore.readConfig(dir, FORMAT));
  }

  /** Reads {@value #FORMAT} directories for {@link ModelStore#load}. */
  public static final class Format implements ModelFormat {
    @Override
    public String name() {
      return FORMAT;
    }

    @Override
    public HeadModel load(Path dir, JsonNode config) throws IOException {
      Map<String, Tensor> tensors = ModelStore.readWeights(dir);
      Tensor mean = tensors.remove("normalizer.mean");
      Tensor std = tensors.remove("normalizer.std");
      if (mean == null || std == null) {
        throw new IOException(
            dir.resolve(ModelStore.WEIGHTS) + ": missing normalizer.mean / normalizer.std");
      }
      return new HeadModel(
          ModelStore.readEncoder(config),
          new FeatureNormalizer(mean.values(), std.values()),
          Heads.fromTensors(tensors),
          ModelStore.readProvenance(config),
          ModelStore.readScale(config));
    }
  }
}
