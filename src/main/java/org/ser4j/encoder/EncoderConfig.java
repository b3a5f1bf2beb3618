package org.ser4j.encoder;

/**
 * Everything that determines a feature vector: the encoder's files and weights (by fingerprint),
 * pooling, max length and input strategy. Saved in every model, so a model is only ever loaded
 * with the encoder it was trained on.
 */
public record EncoderConfig(
    String name, String model, String tokenizer, Pooling pooling, int maxLength, InputStrategy strategy, String fingerprint) {

  public EncoderSpec spec() {
    return new EncoderSpec(name, model, tokenizer, pooling);
  }

  /** The cache directory name: the same weights and settings share entries. */
  public String cacheNamespace() {
    return name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + fingerprint + "-L" + maxLength + "-" + pooling.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The cache directory of the token states below the first fine-tuned layer: keyed by the
   * weights (fingerprint) and the frozen layer count; entries are keyed by token ids, which
   * already carry the tokenizer, the input strategy and the max length.
   */
  public String lowerLayersNamespace(int frozenLayers) {
    if (fingerprint == null) {
      throw new IllegalStateException("fingerprint the encoder file before caching its layers");
    }
    return name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + fingerprint + "-layers-0-" + frozenLayers;
  }

  public EncoderConfig withFingerprint(String fp) {
    return new EncoderConfig(name, model, tokenizer, pooling, maxLength, strategy, fp);
  }
}
