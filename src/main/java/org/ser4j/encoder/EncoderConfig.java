package org.ser4j.encoder;

import io.soabase.recordbuilder.core.RecordBuilder;

/**
 * Everything that determines a feature vector: the encoder's files and weights (by fingerprint),
 * pooling, max length and input strategy. Saved in every model, so a model is only ever loaded with
 * the encoder it was trained on.
 */
@RecordBuilder
public record EncoderConfig(
    String name,
    String model,
    String tokenizer,
    Pooling pooling,
    int maxLength,
    InputStrategy strategy,
    String fingerprint,
    java.util.List<EncoderConfig> views)
    implements java.io.Serializable, EncoderConfigBuilder.With {
  public EncoderConfig {
    views = views == null ? java.util.List.of() : java.util.List.copyOf(views);
  }

  /** One encoder: no views. */
  public EncoderConfig(
      String name,
      String model,
      String tokenizer,
      Pooling pooling,
      int maxLength,
      InputStrategy strategy,
      String fingerprint) {
    this(name, model, tokenizer, pooling, maxLength, strategy, fingerprint, null);
  }

  /**
   * Several encoders read as one: a text's features are the views' features side by side (each view
   * keeps its own cache). Named and fingerprinted by its views, joined with "+".
   */
  public static EncoderConfig concat(java.util.List<EncoderConfig> views) {
    if (views.size() < 2) {
      throw new IllegalArgumentException(
          "concatenating encoders needs two or more, got " + views.size());
    }
    EncoderConfig first = views.get(0);
    java.util.Set<String> names = new java.util.HashSet<>();
    for (EncoderConfig v : views) {
      if (v.isConcat()) {
        throw new IllegalArgumentException("a view cannot itself be several encoders");
      }
      if (!names.add(v.name())) {
        throw new IllegalArgumentException("encoder " + v.name() + " is given twice");
      }
      if (v.maxLength() != first.maxLength() || v.strategy() != first.strategy()) {
        throw new IllegalArgumentException("the views must share max length and input strategy");
      }
    }
    boolean pinned = views.stream().allMatch(v -> v.fingerprint() != null);
    return new EncoderConfig(
        String.join("+", views.stream().map(EncoderConfig::name).toList()),
        "views",
        "views",
        first.pooling(),
        first.maxLength(),
        first.strategy(),
        pinned ? String.join("+", views.stream().map(EncoderConfig::fingerprint).toList()) : null,
        views);
  }

  /** Whether this is several encoders read side by side ({@link #concat}). */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isConcat() {
    return !views.isEmpty();
  }

  /**
   * Max tokens per sequence and what is encoded, for a frozen encoder and for one that learns (CPU
   * time).
   */
  public static final int DEFAULT_MAX_LENGTH = 256;

  public static final int FINETUNE_MAX_LENGTH = 128;
  public static final String DEFAULT_INPUT = "pair+response";
  public static final String FINETUNE_INPUT = "pair";

  /**
   * The settings for {@code spec}, frozen or learning ({@code fineTune}), with the defaults for
   * {@code maxLength} 0 and {@code input} "auto"; a learning encoder must be float, and is read
   * with mean pooling (the learned head replaces a CLS-pooled encoder's own use of [CLS]).
   */
  public static EncoderConfig of(EncoderSpec spec, boolean fineTune, int maxLength, String input) {
    if (fineTune && spec.name().endsWith("-q")) {
      throw new IllegalArgumentException(
          "--finetune needs float weights; "
              + spec.name()
              + " is int8: use --encoder minilm-l6 or bge-small (or --encoder-model FILE)");
    }
    Pooling pooling = fineTune ? Pooling.MEAN : spec.pooling();
    int length = maxLength > 0 ? maxLength : fineTune ? FINETUNE_MAX_LENGTH : DEFAULT_MAX_LENGTH;
    InputStrategy strategy =
        InputStrategy.fromName(
            input.equals("auto") ? (fineTune ? FINETUNE_INPUT : DEFAULT_INPUT) : input);
    return new EncoderConfig(
        spec.name(), spec.model(), spec.tokenizer(), pooling, length, strategy, null);
  }

  /**
   * The built-in encoders {@code names} names: one ("auto": {@link #defaultSpec}), or several
   * comma-separated, read frozen side by side ({@link #concat}); settings as in {@link #of}.
   */
  public static EncoderConfig named(String names, boolean fineTune, int maxLength, String input) {
    if (!names.contains(",")) {
      EncoderSpec spec =
          names.equals("auto") ? defaultSpec(fineTune) : EncoderSpec.builtIn(names.strip());
      return of(spec, fineTune, maxLength, input);
    }
    if (fineTune) {
      throw new IllegalArgumentException(
          "--encoder " + names + ": several encoders are read frozen; drop --finetune");
    }
    java.util.List<EncoderConfig> views = new java.util.ArrayList<>();
    for (String name : names.split(",")) {
      views.add(of(EncoderSpec.builtIn(name.strip()), false, maxLength, input));
    }
    return concat(views);
  }

  /** The built-in default: bge-small int8 when frozen, MiniLM float when it learns. */
  public static EncoderSpec defaultSpec(boolean fineTune) {
    return EncoderSpec.builtIn(fineTune ? "minilm-l6" : EncoderSpec.DEFAULT);
  }

  public EncoderSpec spec() {
    if (isConcat()) {
      throw new IllegalStateException(name + " is several encoders; each view has its own spec");
    }
    return new EncoderSpec(name, model, tokenizer, pooling);
  }

  /** The cache directory name: the same weights and settings share entries. */
  public String cacheNamespace() {
    return name.replaceAll("[^A-Za-z0-9._-]", "_")
        + "-"
        + fingerprint
        + "-L"
        + maxLength
        + "-"
        + pooling.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The cache directory of the token states below the first fine-tuned layer: keyed by the weights
   * (fingerprint) and the frozen layer count; entries are keyed by token ids, which already carry
   * the tokenizer, the input strategy and the max length.
   */
  public String lowerLayersNamespace(int frozenLayers) {
    if (fingerprint == null) {
      throw new IllegalStateException("fingerprint the encoder file before caching its layers");
    }
    return name.replaceAll("[^A-Za-z0-9._-]", "_")
        + "-"
        + fingerprint
        + "-layers-0-"
        + frozenLayers;
  }

  /** This config with the fingerprint of its weights file (hashed only when not known yet). */
  public EncoderConfig pinned() throws java.io.IOException {
    if (fingerprint != null) {
      return this;
    }
    if (isConcat()) {
      java.util.List<EncoderConfig> pinnedViews = new java.util.ArrayList<>();
      for (EncoderConfig v : views) {
        pinnedViews.add(v.pinned());
      }
      return concat(pinnedViews);
    }
    return withFingerprint(EncoderSpec.fingerprint(model));
  }
}
