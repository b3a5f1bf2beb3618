package org.ser4j.model.finetune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.ser4j.encoder.DjlBert;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.FeatureCache;
import org.ser4j.encoder.TokenizedInput;
import org.ser4j.model.Tensor;
import org.ser4j.util.Progress;

/**
 * The live network of a reward model whose encoder learns: a {@link DjlBert} with a linear head on
 * its mean-pooled output, r = w . pool(bert(x)) + b. Which weights learn is the {@link
 * FineTuneMode}'s choice; the layers below the first learning one never change, so their output for
 * a sequence is computed once and kept in a {@link LowerLayerCache} ({@link #prepare}), which is
 * what makes top:K cheap; {@link #cacheLowerLayersUnder} keeps it on disk too.
 */
public final class BertRewardNet implements AutoCloseable {
  public static final String HEAD_WEIGHT = "head.weight";
  public static final String HEAD_BIAS = "head.bias";
  private static final int INFERENCE_BATCH = 32;

  private final DjlBert bert;
  private final FineTuneMode mode;
  private final int firstTrained;
  private final NDArray headWeight;
  private final NDArray headBias;
  private LowerLayerCache lower = LowerLayerCache.inMemory();
  private Map<String, float[]> initial;

  private BertRewardNet(DjlBert bert, FineTuneMode mode, float[] headW, float headB) {
    this.bert = bert;
    this.mode = mode;
    this.firstTrained = mode.firstTrainedLayer(bert.layers());
    try (NDArray w = bert.manager().create(headW, new Shape(bert.hidden(), 1));
        NDArray b = bert.manager().create(new float[] {headB}, new Shape(1))) {
      this.headWeight = w.duplicate();
      this.headBias = b.duplicate();
    }
  }

  /**
   * A fresh network: pretrained encoder weights from {@code onnxModel}, LoRA adapters when the mode
   * asks for them, and a head with N(0, 0.02) weights drawn from {@code seed}.
   */
  public static BertRewardNet pretrained(String onnxModel, int heads, FineTuneConfig config)
      throws IOException {
    DjlBert bert = DjlBert.fromOnnx(onnxModel, heads);
    if (config.mode().kind() == FineTuneMode.Kind.LORA) {
      bert.addLora(
          config.loraRank(),
          (float) config.loraAlpha(),
          (float) config.loraDropout(),
          config.seed());
    }
    BertRewardNet net =
        new BertRewardNet(bert, config.mode(), initialHead(bert.hidden(), config.seed()), 0f);
    net.initial = new TreeMap<>();
    net.trainable().forEach((k, v) -> net.initial.put(k, v.toFloatArray()));
    return net;
  }

  private static float[] initialHead(int hidden, long seed) {
    Random random = new Random(seed);
    float[] w = new float[hidden];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (random.nextGaussian() * 0.02);
    }
    return w;
  }

  /**
   * Back to the weights this network started with (pretrained encoder, fresh LoRA adapters) and a
   * new head drawn from {@code seed}: retraining from scratch without reloading the encoder or
   * losing the cached lower layers, which never change.
   */
  public void restart(long seed) {
    Map<String, NDArray> params = trainable();
    for (Map.Entry<String, float[]> e : initial.entrySet()) {
      if (e.getKey().startsWith("head.")) {
        continue;
      }
      copyInto(params.get(e.getKey()), e.getValue(), e.getKey());
    }
    copyInto(headWeight, initialHead(bert.hidden(), seed), HEAD_WEIGHT);
    copyInto(headBias, new float[1], HEAD_BIAS);
  }

  public FineTuneMode mode() {
    return mode;
  }

  public DjlBert bert() {
    return bert;
  }

  /** The weights that learn in this mode (the head included), by name; live arrays. */
  public Map<String, NDArray> trainable() {
    Map<String, NDArray> out = new TreeMap<>();
    String firstLayer = "encoder.layer.";
    out.putAll(
        bert.train(
            name ->
                switch (mode.kind()) {
                  case LORA -> name.contains(".lora_");
                  case FULL -> !name.contains(".lora_");
                  case TOP -> name.startsWith(firstLayer) && layerOf(name) >= firstTrained;
                  case NONE -> false;
                }));
    headWeight.setRequiresGradient(true);
    headBias.setRequiresGradient(true);
    out.put(HEAD_WEIGHT, headWeight);
    out.put(HEAD_BIAS, headBias);
    return out;
  }

  private static int layerOf(String name) {
    String rest = name.substring("encoder.layer.".length());
    return Integer.parseInt(rest.substring(0, rest.indexOf('.')));
  }

  /** The weights a saved model needs beyond the pretrained file, as named tensors. */
  public Map<String, Tensor> trainedTensors() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : trainable().entrySet()) {
      out.put(
          e.getKey(), new Tensor(e.getValue().getShape().getShape(), e.getValue().toFloatArray()));
    }
    return out;
  }

  /** Loads saved weights (from {@link #trainedTensors}) into this network. */
  public void load(Map<String, Tensor> tensors) {
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      float[] v = e.getValue().values();
      if (e.getKey().equals(HEAD_WEIGHT)) {
        copyInto(headWeight, v, e.getKey());
      } else if (e.getKey().equals(HEAD_BIAS)) {
        copyInto(headBias, v, e.getKey());
      } else {
        boolean learning =
            e.getKey().startsWith("encoder.layer.") && layerOf(e.getKey()) >= firstTrained;
        if (firstTrained > 0 && !learning) {
          // The cached lower-layer states assume the pretrained weights below the first learning
          // layer.
          throw new IllegalArgumentException(
              e.getKey() + ": below the first layer that learns in " + mode);
        }
        bert.set(e.getKey(), v);
      }
    }
  }

  /** Overwrites a live array's values in place (outside any autograd graph). */
  static void copyInto(NDArray target, float[] values, String name) {
    if (target.getShape().size() != values.length) {
      throw new IllegalArgumentException(
          name + ": expected " + target.getShape().size() + " values, got " + values.length);
    }
    try (NDManager scope = target.getManager().newSubManager();
        NDArray fresh = scope.create(values, target.getShape())) {
      target.muli(0f).addi(fresh); // exact: 0 * w + v == v
    }
  }

  /**
   * Runs the frozen lower layers once for each sequence not seen yet and keeps their output, in
   * length-sorted batches (a no-op when every layer learns).
   */
  public void prepare(List<TokenizedInput> sequences, Progress progress) {
    if (firstTrained == 0) {
      return;
    }
    List<TokenizedInput> todo = new ArrayList<>();
    Set<FeatureCache.Key> queued = new HashSet<>(); // a text given twice is computed once
    for (TokenizedInput s : sequences) {
      if (lower.load(s) == null && queued.add(LowerLayerCache.key(s))) {
        todo.add(s);
      }
    }
    todo.sort(Comparator.comparingInt(TokenizedInput::length));
    try (Progress.Task task =
        progress.start(
            "lower " + firstTrained + " layers (frozen, cached)", todo.size(), "texts")) {
      for (int start = 0; start < todo.size(); start += INFERENCE_BATCH) {
        List<TokenizedInput> batch =
            todo.subList(start, Math.min(todo.size(), start + INFERENCE_BATCH));
        try (NDManager scope = bert.manager().newSubManager()) {
          NDArray mask = bert.mask(batch, scope);
          float[][] rows =
              DjlBert.toRows(
                  bert.layers(bert.embeddings(batch, scope), mask, 0, firstTrained), batch);
          for (int i = 0; i < rows.length; i++) {
            lower.put(batch.get(i), rows[i]);
          }
        }
        task.step(batch.size());
      }
    }
    lower.flush();
  }

  /**
   * Keeps the frozen lower layers' output on disk too, under {@code root} in a directory named
   * after the encoder's weights and the number of frozen layers (nothing to keep when every layer
   * learns, or when {@code root} is null).
   */
  public void cacheLowerLayersUnder(java.nio.file.Path root, EncoderConfig encoder)
      throws IOException {
    if (firstTrained > 0) {
      lower = LowerLayerCache.under(root, encoder, firstTrained, bert.hidden());
    }
  }

  /** The on-disk cache of the lower layers' output, or null. */
  FeatureCache diskCache() {
    return lower.disk();
  }

  /** The on-disk cache's counts, or null without one. */
  public String diskCacheSummary() {
    return lower.summary();
  }

  /**
   * Rewards [batch] as an NDArray in {@code scope}: differentiable in {@link #trainable()} inside a
   * gradient collector.
   */
  public NDArray rewards(List<TokenizedInput> batch, NDManager scope) {
    return pooled(batch, scope).matMul(headWeight).add(headBias).reshape(-1);
  }

  /**
   * Pooled vectors [batch, hidden]: the cached lower layers' output (or the embeddings) through the
   * learning layers.
   */
  private NDArray pooled(List<TokenizedInput> batch, NDManager scope) {
    NDArray mask = bert.mask(batch, scope);
    NDArray x;
    if (firstTrained == 0) {
      x = bert.embeddings(batch, scope);
    } else {
      List<float[]> rows = new ArrayList<>(batch.size());
      for (TokenizedInput s : batch) {
        float[] r = lower.get(s);
        if (r == null) {
          throw new IllegalStateException("sequence not prepared: call prepare() first");
        }
        rows.add(r);
      }
      x = bert.fromRows(rows, scope);
    }
    return DjlBert.meanPool(bert.layers(x, mask, firstTrained, bert.layers()), mask);
  }

  /**
   * Rewards of many sequences, in length-sorted batches. With {@code cachePrefix} the frozen lower
   * layers' output is kept for later calls (training, SER loops); without it (serving) the whole
   * network runs and nothing is kept.
   */
  public double[] score(List<TokenizedInput> sequences, boolean cachePrefix, Progress progress) {
    bert.setTraining(false);
    Integer[] order = new Integer[sequences.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingInt(i -> sequences.get(i).length()));
    double[] out = new double[sequences.size()];
    boolean cached = cachePrefix && firstTrained > 0;
    if (cached) {
      prepare(sequences, progress);
    }
    try (Progress.Task task = progress.start("score", sequences.size(), "texts")) {
      for (int start = 0; start < order.length; start += INFERENCE_BATCH) {
        List<TokenizedInput> batch = new ArrayList<>();
        int end = Math.min(order.length, start + INFERENCE_BATCH);
        for (int i = start; i < end; i++) {
          batch.add(sequences.get(order[i]));
        }
        try (NDManager scope = bert.manager().newSubManager()) {
          NDArray r = cached ? rewards(batch, scope) : fullRewards(batch, scope);
          float[] v = r.toFloatArray();
          for (int i = start; i < end; i++) {
            out[order[i]] = v[i - start];
          }
        }
        task.step(batch.size());
      }
    }
    return out;
  }

  /**
   * Pooled vectors [hidden] of the sequences under the current weights (no head), using the cached
   * lower layers.
   */
  public float[][] pooled(List<TokenizedInput> sequences) {
    prepare(sequences, Progress.quiet());
    float[][] out = new float[sequences.size()][];
    for (int start = 0; start < sequences.size(); start += INFERENCE_BATCH) {
      List<TokenizedInput> batch =
          sequences.subList(start, Math.min(sequences.size(), start + INFERENCE_BATCH));
      try (NDManager scope = bert.manager().newSubManager()) {
        float[][] rows = DjlBert.rows(pooled(batch, scope), bert.hidden());
        System.arraycopy(rows, 0, out, start, rows.length);
      }
    }
    return out;
  }

  /** Sets the head: r = w . pooled + b. */
  public void setHead(float[] w, float b) {
    copyInto(headWeight, w, HEAD_WEIGHT);
    copyInto(headBias, new float[] {b}, HEAD_BIAS);
  }

  private NDArray fullRewards(List<TokenizedInput> batch, NDManager scope) {
    return bert.pooled(batch, scope).matMul(headWeight).add(headBias).reshape(-1);
  }

  @Override
  public void close() {
    bert.close();
  }
}
