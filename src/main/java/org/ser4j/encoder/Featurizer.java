package org.ser4j.encoder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ser4j.util.Progress;

/**
 * Turns (prompt, response) inputs into feature vectors: looks each encoder input up in the {@link
 * FeatureCache}, encodes only the misses (each distinct text once), in batches sorted by length to
 * cut padding, and stores them. The reward model's only view of text.
 */
public final class Featurizer implements AutoCloseable {
  /**
   * One sequence per run: the built-in encoders are dynamically quantized (int8), and their
   * activation scales are computed over the whole batch, so batch-mates (and padding) would change
   * a text's vector by up to 1% (cosine 0.992 measured). Single sequences make every vector
   * independent of what else is encoded, which keeps the cache, `ser score` and the server exact;
   * with one single-threaded run per core this was also faster here than batches of 32.
   */
  public static final int DEFAULT_BATCH = 1;

  private final EncoderConfig config;
  private final SequenceTokenizer tokenizer;
  private final OnnxEncoder encoder;
  private final FeatureCache cache;
  private final Progress progress;
  private final int batchSize;
  private final int threads;
  private final String[] prefixes;

  /** For several encoders read as one ({@link EncoderConfig#concat}): one featurizer per view. */
  private final List<Featurizer> views;

  private Featurizer(
      EncoderConfig config,
      SequenceTokenizer tokenizer,
      OnnxEncoder encoder,
      FeatureCache cache,
      Progress progress,
      int batchSize,
      int threads) {
    this.config = config;
    this.tokenizer = tokenizer;
    this.encoder = encoder;
    this.cache = cache;
    this.progress = progress;
    this.batchSize = batchSize;
    this.threads = threads;
    this.prefixes = EncoderSpec.prefixes(config.name());
    this.views = List.of();
  }

  private Featurizer(EncoderConfig config, List<Featurizer> views) {
    this.config = config;
    this.views = List.copyOf(views);
    this.tokenizer = null;
    this.encoder = null;
    this.cache = views.get(0).cache;
    this.progress = views.get(0).progress;
    this.batchSize = views.get(0).batchSize;
    this.threads = views.get(0).threads;
    this.prefixes = new String[] {"", ""};
  }

  /**
   * Opens the encoder of {@code config}; {@code cacheRoot} null keeps the cache in memory. A config
   * with a fingerprint (from a saved model) must match the weights found now. {@code threads}
   * batches run at once, each on one core (ONNX Runtime sessions are thread-safe).
   */
  public static Featurizer open(
      EncoderConfig config, Path cacheRoot, Progress progress, int threads, int batchSize)
      throws IOException {
    if (config.isConcat()) {
      List<Featurizer> opened = new ArrayList<>();
      try {
        for (EncoderConfig v : config.views()) {
          opened.add(open(v, cacheRoot, progress, threads, batchSize));
        }
      } catch (IOException | RuntimeException e) {
        opened.forEach(Featurizer::close);
        throw e;
      }
      EncoderConfig resolved =
          EncoderConfig.concat(opened.stream().map(Featurizer::config).toList());
      if (config.fingerprint() != null && !config.fingerprint().equals(resolved.fingerprint())) {
        opened.forEach(Featurizer::close);
        throw new IllegalArgumentException(
            "encoder mismatch: the model was trained with "
                + config.name()
                + " weights "
                + config.fingerprint()
                + ", but they now have weights "
                + resolved.fingerprint());
      }
      return new Featurizer(resolved, opened);
    }
    OnnxEncoder encoder = new OnnxEncoder(config.spec(), 1);
    if (config.fingerprint() != null && !config.fingerprint().equals(encoder.fingerprint())) {
      encoder.close();
      throw new IllegalArgumentException(
          "encoder mismatch: the model was trained with "
              + config.name()
              + " weights "
              + config.fingerprint()
              + ", but "
              + config.model()
              + " now has weights "
              + encoder.fingerprint());
    }
    EncoderConfig resolved = config.withFingerprint(encoder.fingerprint());
    SequenceTokenizer tokenizer = new SequenceTokenizer(config.tokenizer(), config.maxLength());
    FeatureCache cache =
        cacheRoot == null
            ? FeatureCache.inMemory(encoder.dimension())
            // Batched int8 vectors depend on their batch-mates: never mix them with single-run
            // ones.
            : FeatureCache.open(
                cacheRoot,
                resolved.cacheNamespace() + (batchSize > 1 ? "-batch" + batchSize : ""),
                encoder.dimension());
    return new Featurizer(
        resolved, tokenizer, encoder, cache, progress, batchSize, Math.max(1, threads));
  }

  public EncoderConfig config() {
    return config;
  }

  public FeatureCache cache() {
    return cache;
  }

  /** Width of one feature vector: with several encoders, the sum of theirs. */
  public int dimension() {
    if (!views.isEmpty()) {
      return views.stream().mapToInt(Featurizer::dimension).sum();
    }
    return encoder.dimension() * config.strategy().segments();
  }

  /**
   * What the encoder reads for one input: (context, text) segments, with the prefixes the encoder
   * expects (e5: "query: " before the prompt, "passage: " before the response).
   */
  private List<String[]> segments(ResponseInput input) {
    String prompt = prefixes[0] + input.prompt().transcript();
    String response = prefixes[1] + input.response();
    switch (config.strategy()) {
      case PAIR:
        return List.<String[]>of(new String[] {prompt, response});
      case RESPONSE:
        return List.<String[]>of(new String[] {null, response});
      default:
        return List.of(new String[] {prompt, response}, new String[] {null, response});
    }
  }

  /**
   * Feature vectors for {@code inputs}, in order. Inputs the encoder reads alike ({@link
   * InputStrategy#identity}) share one row (the same array), so a pool that re-pairs the same
   * answers costs one vector per distinct answer, not per pair; rows are read-only.
   */
  public float[][] features(List<ResponseInput> inputs) throws IOException {
    Map<Object, Integer> index = new HashMap<>();
    List<ResponseInput> distinct = new ArrayList<>();
    int[] rowOf = new int[inputs.size()];
    for (int i = 0; i < rowOf.length; i++) {
      ResponseInput input = inputs.get(i);
      rowOf[i] =
          index.computeIfAbsent(
              config.strategy().identity(input),
              key -> {
                distinct.add(input);
                return distinct.size() - 1;
              });
    }
    float[][] rows = views.isEmpty() ? distinctFeatures(distinct) : concatenated(distinct);
    if (rows.length == inputs.size()) {
      return rows;
    }
    float[][] out = new float[inputs.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows[rowOf[i]];
    }
    return out;
  }

  private float[][] distinctFeatures(List<ResponseInput> inputs) throws IOException {
    List<List<FeatureCache.Key>> keys = new ArrayList<>(inputs.size());
    Map<FeatureCache.Key, String[]> missing = new LinkedHashMap<>();
    for (ResponseInput input : inputs) {
      List<FeatureCache.Key> inputKeys = new ArrayList<>(2);
      for (String[] seg : segments(input)) {
        FeatureCache.Key key = FeatureCache.key(seg[0], seg[1]);
        inputKeys.add(key);
        if (!missing.containsKey(key) && cache.get(key) == null) {
          missing.put(key, seg);
        }
      }
      keys.add(inputKeys);
    }
    encodeMissing(missing);
    float[][] out = new float[inputs.size()][];
    int width = encoder.dimension();
    for (int i = 0; i < out.length; i++) {
      float[] row = new float[dimension()];
      List<FeatureCache.Key> inputKeys = keys.get(i);
      for (int s = 0; s < inputKeys.size(); s++) {
        System.arraycopy(cache.peek(inputKeys.get(s)), 0, row, s * width, width);
      }
      out[i] = row;
    }
    return out;
  }

  private float[][] concatenated(List<ResponseInput> inputs) throws IOException {
    List<float[][]> parts = new ArrayList<>();
    for (Featurizer v : views) {
      parts.add(v.distinctFeatures(inputs));
    }
    return sideBySide(parts);
  }

  /**
   * Rows of several encoders joined as a several-encoder model reads them: row i is the parts' row
   * i side by side, in the parts' order.
   */
  public static float[][] sideBySide(List<float[][]> parts) {
    int n = parts.get(0).length;
    if (n == 0) {
      return new float[0][];
    }
    float[][] out = new float[n][parts.stream().mapToInt(p -> p[0].length).sum()];
    int offset = 0;
    for (float[][] part : parts) {
      for (int i = 0; i < n; i++) {
        System.arraycopy(part[i], 0, out[i], offset, part[i].length);
      }
      offset += part[0].length;
    }
    return out;
  }

  /** The featurizers of several encoders read as one; empty for one encoder. */
  public List<Featurizer> views() {
    return views;
  }

  private void encodeMissing(Map<FeatureCache.Key, String[]> missing) throws IOException {
    if (missing.isEmpty()) {
      return;
    }
    List<FeatureCache.Key> order = new ArrayList<>(missing.keySet());
    List<TokenizedInput> tokenized = new ArrayList<>(order.size());
    for (FeatureCache.Key key : order) {
      String[] seg = missing.get(key);
      tokenized.add(seg[0] == null ? tokenizer.single(seg[1]) : tokenizer.pair(seg[0], seg[1]));
    }
    try (Progress.Task task = progress.start("encode " + config.name(), order.size(), "texts")) {
      float[][] vectors = encoder.embedAll(tokenized, batchSize, threads, task);
      for (int i = 0; i < vectors.length; i++) {
        cache.put(order.get(i), vectors[i]);
      }
    }
    cache.flush();
  }

  /** The parts below the cache, for benchmarks that time them alone. */
  public SequenceTokenizer tokenizer() {
    return tokenizer;
  }

  public OnnxEncoder encoder() {
    return encoder;
  }

  @Override
  public void close() {
    if (!views.isEmpty()) {
      views.forEach(Featurizer::close);
      return;
    }
    tokenizer.close();
    encoder.close();
  }
}
