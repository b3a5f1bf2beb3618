package org.ser4j.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A BERT encoder as DJL NDArray operations on the PyTorch engine, with the pretrained weights of an
 * ONNX export ({@link OnnxWeights}): the trainable twin of {@link OnnxEncoder}, the base for
 * fine-tuning. Post-LayerNorm BERT (embeddings + position + token type, then per layer:
 * self-attention, residual, LayerNorm, GELU feed-forward, residual, LayerNorm), mean pooling.
 *
 * <p>The forward pass is split where fine-tuning needs it: {@link #embeddings}, {@link #layers}
 * over any range (so the frozen lower layers of top:K can run once and be cached), {@link
 * #meanPool}. Optional LoRA adapters ({@link #addLora}) add {@code (alpha/r) * dropout(x) A B} to
 * the attention projections. The token, position and type embedding tables are looked up in Java
 * and never train.
 */
public final class DjlBert implements AutoCloseable {
  private static final float LAYER_NORM_EPS = 1e-12f;

  /** The attention projections that take LoRA adapters (query, key, value, output). */
  public static final List<String> LORA_TARGETS =
      List.of(
          "attention.self.query",
          "attention.self.key",
          "attention.self.value",
          "attention.output.dense");

  private final NDManager manager;
  private final Map<String, NDArray> p = new TreeMap<>();
  private final float[] wordEmbeddings;
  private final float[] positionEmbeddings;
  private final float[] typeEmbeddings;
  private final int hidden;
  private final int heads;
  private final int layers;
  private float loraScale;
  private float loraDropout;
  private boolean training;

  private DjlBert(Map<String, OnnxWeights.Tensor> weights, int heads) {
    System.setProperty("ai.djl.offline", "true");
    this.manager = NDManager.newBaseManager("PyTorch");
    this.wordEmbeddings = weights.get("embeddings.word_embeddings.weight").values();
    this.positionEmbeddings = weights.get("embeddings.position_embeddings.weight").values();
    this.typeEmbeddings = weights.get("embeddings.token_type_embeddings.weight").values();
    this.hidden = (int) weights.get("embeddings.word_embeddings.weight").shape()[1];
    this.heads = heads;
    int n = 0;
    while (weights.containsKey("encoder.layer." + n + ".attention.self.query.weight")) {
      n++;
    }
    this.layers = n;
    for (Map.Entry<String, OnnxWeights.Tensor> e : weights.entrySet()) {
      if (!e.getKey().contains("_embeddings.")) {
        p.put(e.getKey(), nativeCopy(e.getValue().values(), new Shape(e.getValue().shape())));
      }
    }
  }

  /**
   * A tensor whose memory PyTorch owns. {@code create(float[])} wraps a Java direct buffer
   * (from_blob) that lives only as long as the Java object holding it; long-lived weights that are
   * updated in place should not depend on that.
   */
  private NDArray nativeCopy(float[] values, Shape shape) {
    try (NDArray wrapped = manager.create(values, shape)) {
      return wrapped.duplicate();
    }
  }

  /** Loads the float weights of a BERT-style ONNX file (e.g. all-MiniLM-L6-v2, 12 heads). */
  public static DjlBert fromOnnx(String location, int heads) throws IOException {
    return new DjlBert(OnnxWeights.read(EncoderSpec.readAll(location)), heads);
  }

  public int layers() {
    return layers;
  }

  public int hidden() {
    return hidden;
  }

  public NDManager manager() {
    return manager;
  }

  /** Training mode turns LoRA dropout on; inference (the default) is deterministic. */
  public void setTraining(boolean on) {
    this.training = on;
  }

  /** Every weight of the transformer layers (and LoRA adapters), by PyTorch name; live arrays. */
  public Map<String, NDArray> parameters() {
    return java.util.Collections.unmodifiableMap(p);
  }

  /** Marks the parameters whose names pass {@code which} as trainable and returns them by name. */
  public Map<String, NDArray> train(Predicate<String> which) {
    Map<String, NDArray> trainable = new TreeMap<>();
    for (Map.Entry<String, NDArray> e : p.entrySet()) {
      if (which.test(e.getKey())) {
        e.getValue().setRequiresGradient(true);
        trainable.put(e.getKey(), e.getValue());
      }
    }
    return trainable;
  }

  /** Replaces parameter {@code name}'s values (loading saved weights). */
  public void set(String name, float[] values) {
    NDArray old = p.get(name);
    if (old == null) {
      throw new IllegalArgumentException("no parameter " + name);
    }
    if (old.getShape().size() != values.length) {
      throw new IllegalArgumentException(
          name + ": expected " + old.getShape().size() + " values, got " + values.length);
    }
    p.put(name, nativeCopy(values, old.getShape()));
    old.close();
  }

  /**
   * Adds LoRA adapters (Hu et al. 2021) to the attention projections of every layer: A [in, r] with
   * Kaiming-uniform values from {@code seed}, B [r, out] zero, so the network starts unchanged.
   */
  public void addLora(int rank, float alpha, float dropout, long seed) {
    Random random = new Random(seed);
    this.loraScale = alpha / rank;
    this.loraDropout = dropout;
    for (int l = 0; l < layers; l++) {
      for (String target : LORA_TARGETS) {
        String name = "encoder.layer." + l + "." + target;
        long in = p.get(name + ".weight").getShape().get(0);
        long out = p.get(name + ".weight").getShape().get(1);
        float bound =
            (float) (1 / Math.sqrt(in)); // kaiming_uniform(a=sqrt(5)), as PEFT and nn.Linear
        float[] a = new float[(int) (in * rank)];
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        p.put(name + ".lora_A", nativeCopy(a, new Shape(in, rank)));
        p.put(name + ".lora_B", nativeCopy(new float[(int) (rank * out)], new Shape(rank, out)));
      }
    }
  }

  /** Mean-pooled vectors of the sequences, as {@link OnnxEncoder#embed} gives for Pooling.MEAN. */
  public float[][] embed(List<TokenizedInput> batch) {
    try (NDManager scope = manager.newSubManager()) {
      return rows(pooled(batch, scope), hidden);
    }
  }

  /**
   * Pooled vectors [batch, hidden] as an NDArray in {@code scope} (an autograd graph, once
   * parameters take gradients).
   */
  public NDArray pooled(List<TokenizedInput> batch, NDManager scope) {
    NDArray mask = mask(batch, scope);
    return meanPool(layers(embeddings(batch, scope), mask, 0, layers), mask);
  }

  /**
   * The embedding block's output [batch, length, hidden] (word + position + type, LayerNorm),
   * zero-padded.
   */
  public NDArray embeddings(List<TokenizedInput> batch, NDManager scope) {
    int b = batch.size();
    int len = maxLength(batch);
    float[] emb = new float[b * len * hidden];
    for (int i = 0; i < b; i++) {
      TokenizedInput in = batch.get(i);
      for (int t = 0; t < in.length(); t++) {
        int at = (i * len + t) * hidden;
        int w = (int) in.ids()[t] * hidden;
        int pos = t * hidden;
        int ty = (int) in.typeIds()[t] * hidden;
        for (int d = 0; d < hidden; d++) {
          emb[at + d] =
              wordEmbeddings[w + d] + positionEmbeddings[pos + d] + typeEmbeddings[ty + d];
        }
      }
    }
    return layerNorm(scope.create(emb, new Shape(b, len, hidden)), "embeddings.LayerNorm");
  }

  /** 1 on tokens, 0 on padding: [batch, length]. */
  public NDArray mask(List<TokenizedInput> batch, NDManager scope) {
    int len = maxLength(batch);
    float[] mask = new float[batch.size() * len];
    for (int i = 0; i < batch.size(); i++) {
      java.util.Arrays.fill(mask, i * len, i * len + batch.get(i).length(), 1f);
    }
    return scope.create(mask, new Shape(batch.size(), len));
  }

  /**
   * Hidden states [batch, length, hidden] padded with zeros, from per-sequence rows [length_i *
   * hidden].
   */
  public NDArray fromRows(List<float[]> states, NDManager scope) {
    int len = 0;
    for (float[] s : states) {
      len = Math.max(len, s.length / hidden);
    }
    float[] x = new float[states.size() * len * hidden];
    for (int i = 0; i < states.size(); i++) {
      System.arraycopy(states.get(i), 0, x, i * len * hidden, states.get(i).length);
    }
    return scope.create(x, new Shape(states.size(), len, hidden));
  }

  /** The inverse of {@link #fromRows}: each sequence's states without its padding. */
  public static float[][] toRows(NDArray x, List<TokenizedInput> batch) {
    long[] s = x.getShape().getShape();
    int len = (int) s[1];
    int h = (int) s[2];
    float[] flat = x.toType(DataType.FLOAT32, false).toFloatArray();
    float[][] out = new float[batch.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] =
          java.util.Arrays.copyOfRange(flat, i * len * h, (i * len + batch.get(i).length()) * h);
    }
    return out;
  }

  /** Runs transformer layers {@code from} (inclusive) to {@code to} (exclusive) over {@code x}. */
  public NDArray layers(NDArray x, NDArray mask, int from, int to) {
    long[] s = x.getShape().getShape();
    // Additive mask: 0 where attended, a large negative number on padding.
    NDArray additive = mask.neg().add(1).mul(-1e9f).reshape(s[0], 1, 1, s[1]);
    for (int l = from; l < to; l++) {
      x = layer(x, additive, "encoder.layer." + l + ".", (int) s[0], (int) s[1]);
    }
    return x;
  }

  /** Mean over the tokens that the mask keeps: [batch, hidden]. */
  public static NDArray meanPool(NDArray x, NDArray mask) {
    NDArray summed = x.mul(mask.expandDims(2)).sum(new int[] {1});
    return summed.div(mask.sum(new int[] {1}, true).maximum(1f));
  }

  /** [n, width] as n rows. */
  public static float[][] rows(NDArray pooled, int width) {
    float[] flat = pooled.toType(DataType.FLOAT32, false).toFloatArray();
    float[][] out = new float[flat.length / width][width];
    for (int i = 0; i < out.length; i++) {
      System.arraycopy(flat, i * width, out[i], 0, width);
    }
    return out;
  }

  private static int maxLength(List<TokenizedInput> batch) {
    return batch.stream().mapToInt(TokenizedInput::length).max().orElse(0);
  }

  private NDArray linear(NDArray x, String name) {
    NDArray y = x.matMul(p.get(name + ".weight")).add(p.get(name + ".bias"));
    NDArray a = p.get(name + ".lora_A");
    if (a == null) {
      return y;
    }
    NDArray in = x;
    if (training && loraDropout > 0) {
      // Inverted dropout; the engine's random generator is seeded by the trainer.
      in =
          x.mul(
              x.getManager()
                  .randomUniform(0f, 1f, x.getShape())
                  .gte(loraDropout)
                  .toType(DataType.FLOAT32, false)
                  .div(1 - loraDropout));
    }
    return y.add(in.matMul(a).matMul(p.get(name + ".lora_B")).mul(scalar(x, loraScale)));
  }

  private NDArray layerNorm(NDArray x, String name) {
    NDArray mean = x.mean(new int[] {-1}, true);
    NDArray centered = x.sub(mean);
    NDArray var = centered.square().mean(new int[] {-1}, true);
    return centered
        .div(var.add(LAYER_NORM_EPS).sqrt())
        .mul(p.get(name + ".weight"))
        .add(p.get(name + ".bias"));
  }

  private NDArray layer(NDArray x, NDArray additiveMask, String prefix, int b, int len) {
    int dh = hidden / heads;
    NDArray q = split(linear(x, prefix + "attention.self.query"), b, len, dh);
    NDArray k = split(linear(x, prefix + "attention.self.key"), b, len, dh);
    NDArray v = split(linear(x, prefix + "attention.self.value"), b, len, dh);
    NDArray scores =
        q.matMul(k.transpose(0, 1, 3, 2)).div(scalar(q, (float) Math.sqrt(dh))).add(additiveMask);
    NDArray context = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, len, hidden);
    NDArray attended =
        layerNorm(
            linear(context, prefix + "attention.output.dense").add(x),
            prefix + "attention.output.LayerNorm");
    NDArray h = linear(attended, prefix + "intermediate.dense");
    NDArray gelu =
        h.mul(h.div(scalar(h, (float) Math.sqrt(2))).erf().add(1))
            .mul(scalar(h, 0.5f)); // exact (erf) GELU, as BERT
    return layerNorm(
        linear(gelu, prefix + "output.dense").add(attended), prefix + "output.LayerNorm");
  }

  /**
   * A scalar operand for an op whose backward pass needs it (x * c, x / c, max(x, c)), held by
   * {@code like}'s manager (the step's scope) until that closes, after the backward pass. DJL's
   * {@code x.mul(0.5f)} wraps the number in a tensor over a Java direct buffer and closes it as
   * soon as the op returns, while autograd keeps that tensor for the backward pass; once the
   * collector frees the buffer the backward pass reads freed memory: the non-finite and run-to-run
   * different fine-tuning gradients of issue 24. (x + c needs nothing kept and may take the
   * number.)
   */
  public static NDArray scalar(NDArray like, float value) {
    return like.getManager().create(value);
  }

  private NDArray split(NDArray x, int b, int len, int dh) {
    return x.reshape(b, len, heads, dh).transpose(0, 2, 1, 3);
  }

  @Override
  public void close() {
    manager.close();
  }
}
