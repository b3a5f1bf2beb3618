package org.ser4j.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT encoder as DJL NDArray operations on the PyTorch engine, with the pretrained weights of
 * an ONNX export ({@link OnnxWeights}): the trainable twin of {@link OnnxEncoder}, the base for
 * fine-tuning. Post-LayerNorm BERT (embeddings + position + token type, then per layer:
 * self-attention, residual, LayerNorm, GELU feed-forward, residual, LayerNorm), mean pooling.
 */
public final class DjlBert implements AutoCloseable {
  private static final float LAYER_NORM_EPS = 1e-12f;

  private final NDManager manager;
  private final Map<String, NDArray> p = new HashMap<>();
  private final float[] wordEmbeddings;
  private final float[] positionEmbeddings;
  private final float[] typeEmbeddings;
  private final int hidden;
  private final int heads;
  private final int layers;

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
        p.put(e.getKey(), manager.create(e.getValue().values(), new Shape(e.getValue().shape())));
      }
    }
  }

  /** Loads the float weights of a BERT-style ONNX file (e.g. all-MiniLM-L6-v2, 12 heads). */
  public static DjlBert fromOnnx(String location, int heads) throws IOException {
    return new DjlBert(OnnxWeights.read(EncoderSpec.readAll(location)), heads);
  }

  public int layers() {
    return layers;
  }

  /** Mean-pooled vectors of the sequences, as {@link OnnxEncoder#embed} gives for Pooling.MEAN. */
  public float[][] embed(List<TokenizedInput> batch) {
    try (NDManager scope = manager.newSubManager()) {
      int b = batch.size();
      float[] flat = pooled(batch, scope).toType(DataType.FLOAT32, false).toFloatArray();
      float[][] out = new float[b][hidden];
      for (int i = 0; i < b; i++) {
        System.arraycopy(flat, i * hidden, out[i], 0, hidden);
      }
      return out;
    }
  }

  /** Pooled vectors [batch, hidden] as an NDArray in {@code scope} (an autograd graph, once parameters take gradients). */
  public NDArray pooled(List<TokenizedInput> batch, NDManager scope) {
    {
      int b = batch.size();
      int len = batch.stream().mapToInt(TokenizedInput::length).max().orElse(0);
      float[] emb = new float[b * len * hidden];
      float[] mask = new float[b * len];
      for (int i = 0; i < b; i++) {
        TokenizedInput in = batch.get(i);
        for (int t = 0; t < in.length(); t++) {
          int at = (i * len + t) * hidden;
          int w = (int) in.ids()[t] * hidden;
          int pos = t * hidden;
          int ty = (int) in.typeIds()[t] * hidden;
          for (int d = 0; d < hidden; d++) {
            emb[at + d] = wordEmbeddings[w + d] + positionEmbeddings[pos + d] + typeEmbeddings[ty + d];
          }
          mask[i * len + t] = 1;
        }
      }
      NDArray x = layerNorm(scope.create(emb, new Shape(b, len, hidden)), "embeddings.LayerNorm");
      NDArray m = scope.create(mask, new Shape(b, len));
      // Additive mask: 0 where attended, a large negative number on padding.
      NDArray additive = m.neg().add(1).mul(-1e9f).reshape(b, 1, 1, len);
      for (int l = 0; l < layers; l++) {
        x = layer(x, additive, "encoder.layer." + l + ".", b, len);
      }
      NDArray summed = x.mul(m.expandDims(2)).sum(new int[] {1});
      return summed.div(m.sum(new int[] {1}, true).maximum(1f));
    }
  }

  private NDArray linear(NDArray x, String name) {
    return x.matMul(p.get(name + ".weight")).add(p.get(name + ".bias"));
  }

  private NDArray layerNorm(NDArray x, String name) {
    NDArray mean = x.mean(new int[] {-1}, true);
    NDArray centered = x.sub(mean);
    NDArray var = centered.square().mean(new int[] {-1}, true);
    return centered.div(var.add(LAYER_NORM_EPS).sqrt()).mul(p.get(name + ".weight")).add(p.get(name + ".bias"));
  }

  private NDArray layer(NDArray x, NDArray additiveMask, String prefix, int b, int len) {
    int dh = hidden / heads;
    NDArray q = split(linear(x, prefix + "attention.self.query"), b, len, dh);
    NDArray k = split(linear(x, prefix + "attention.self.key"), b, len, dh);
    NDArray v = split(linear(x, prefix + "attention.self.value"), b, len, dh);
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div((float) Math.sqrt(dh)).add(additiveMask);
    NDArray context = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, len, hidden);
    NDArray attended = layerNorm(linear(context, prefix + "attention.output.dense").add(x), prefix + "attention.output.LayerNorm");
    NDArray h = linear(attended, prefix + "intermediate.dense");
    NDArray gelu = h.mul(h.div((float) Math.sqrt(2)).erf().add(1)).mul(0.5f); // exact (erf) GELU, as BERT
    return layerNorm(linear(gelu, prefix + "output.dense").add(attended), prefix + "output.LayerNorm");
  }

  private NDArray split(NDArray x, int b, int len, int dh) {
    return x.reshape(b, len, heads, dh).transpose(0, 2, 1, 3);
  }

  @Override
  public void close() {
    manager.close();
  }
}
