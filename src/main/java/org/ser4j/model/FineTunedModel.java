package org.ser4j.model;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderSpec;

/**
 * A trained reward model whose encoder learned, immutable: the pretrained encoder it started from
 * (by file and fingerprint), how it was adapted ({@link FineTuneMode}, LoRA settings), only the
 * weights that training changed (plus the head), its provenance and reward scale. {@link #open}
 * rebuilds the live network.
 */
public final class FineTunedModel {
  private final EncoderConfig encoder;
  private final int heads;
  private final FineTuneConfig training;
  private final Map<String, RewardHead.Tensor> tensors;
  private final Map<String, Object> provenance;
  private final RewardScale scale;

  public FineTunedModel(EncoderConfig encoder, int heads, FineTuneConfig training, Map<String, RewardHead.Tensor> tensors, Map<String, Object> provenance, RewardScale scale) {
    this.encoder = encoder;
    this.heads = heads;
    this.training = training;
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    this.provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    this.scale = scale;
  }

  /** The current weights of a live network, as a model. */
  public static FineTunedModel of(BertRewardNet net, EncoderConfig encoder, int heads, FineTuneConfig training, Map<String, Object> provenance) {
    return new FineTunedModel(encoder, heads, training, net.trainedTensors(), provenance, RewardScale.NONE);
  }

  public FineTunedModel withScale(RewardScale s) {
    return new FineTunedModel(encoder, heads, training, tensors, provenance, s);
  }

  public EncoderConfig encoder() {
    return encoder;
  }

  public int heads() {
    return heads;
  }

  public FineTuneConfig training() {
    return training;
  }

  public Map<String, RewardHead.Tensor> tensors() {
    return tensors;
  }

  public Map<String, Object> provenance() {
    return provenance;
  }

  public RewardScale scale() {
    return scale;
  }

  /** The live network: the pretrained file (checked against the fingerprint) with the trained weights loaded. */
  public BertRewardNet open() throws IOException {
    String found = EncoderSpec.fingerprint(encoder.model());
    if (encoder.fingerprint() != null && !encoder.fingerprint().equals(found)) {
      throw new IllegalArgumentException("encoder mismatch: the model was fine-tuned from " + encoder.model() + " weights " + encoder.fingerprint() + ", found " + found);
    }
    BertRewardNet net = BertRewardNet.pretrained(encoder.model(), heads, training);
    net.load(tensors);
    return net;
  }
}
