package org.ser4j.model.finetune;

import static org.ser4j.model.finetune.OnnxNodes.FLOAT;
import static org.ser4j.model.finetune.OnnxNodes.INT8;
import static org.ser4j.model.finetune.OnnxNodes.intAttr;
import static org.ser4j.model.finetune.OnnxNodes.node;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.ser4j.encoder.OnnxWeights;
import org.ser4j.encoder.onnx.OnnxProto.GraphProto;
import org.ser4j.encoder.onnx.OnnxProto.ModelProto;
import org.ser4j.encoder.onnx.OnnxProto.NodeProto;
import org.ser4j.encoder.onnx.OnnxProto.TensorProto;

/**
 * Dynamic int8 quantization of an exported reward graph, in Java: every MatMul by a BERT weight W
 * [in, out] becomes DynamicQuantizeLinear(x) -> MatMulInteger(x_q, W_q) -> Cast -> times (x_scale *
 * w_scale), with W_q = round(W / w_scale) per output column (symmetric int8, zero point 0, w_scale
 * = max |W[:, j]| / 127), as ONNX Runtime's own dynamic quantizer does. Embeddings, LayerNorms,
 * attention products and the head stay float.
 */
public final class OnnxQuantize {
  private OnnxQuantize() {}

  public static byte[] dynamicInt8(byte[] floatGraph) throws IOException {
    ModelProto model = ModelProto.parseFrom(floatGraph);
    GraphProto graph = model.getGraph();
    Map<String, String> bertWeights = OnnxWeights.initializerNames(graph);
    Map<String, TensorProto> initializers = new HashMap<>();
    for (TensorProto t : graph.getInitializerList()) {
      initializers.put(t.getName(), t);
    }
    GraphProto.Builder g = graph.toBuilder().clearNode();
    Map<String, String> quantized = new HashMap<>(); // float weight -> its int8 + scale prefix
    g.addInitializer(OnnxNodes.tensor("ser4j.q.zero", INT8, new long[] {}, new byte[] {0}));
    int k = 0;
    for (NodeProto n : graph.getNodeList()) {
      String w = n.getOpType().equals("MatMul") && n.getInputCount() == 2 ? n.getInput(1) : null;
      TensorProto weight = w == null ? null : initializers.get(w);
      if (weight == null || !bertWeights.containsKey(w) || weight.getDimsCount() != 2) {
        g.addNode(n);
        continue;
      }
      String q = quantized.get(w);
      if (q == null) {
        q = addQuantizedWeight(g, weight, w);
        quantized.put(w, q);
      }
      String p = "ser4j.q" + (k++) + ".";
      String x = n.getInput(0);
      g.addNode(
          node(
              "DynamicQuantizeLinear",
              p + "quantize",
              new String[] {x},
              new String[] {p + "x", p + "x_scale", p + "x_zero"}));
      g.addNode(
          node(
              "MatMulInteger",
              p + "matmul",
              new String[] {p + "x", q + "int8", p + "x_zero", "ser4j.q.zero"},
              p + "int32"));
      g.addNode(
          node("Cast", p + "cast", new String[] {p + "int32"}, p + "float", intAttr("to", FLOAT)));
      g.addNode(
          node("Mul", p + "scale_mul", new String[] {p + "x_scale", q + "scale"}, p + "scale"));
      g.addNode(
          node("Mul", p + "rescale", new String[] {p + "float", p + "scale"}, n.getOutput(0)));
    }
    if (k == 0) {
      throw new IOException("no MatMul by a BERT weight found to quantize");
    }
    // The float weights that were quantized are read by no node now.
    java.util.List<TensorProto> kept = new java.util.ArrayList<>();
    for (TensorProto t : g.getInitializerList()) {
      if (!quantized.containsKey(t.getName())) {
        kept.add(t);
      }
    }
    g.clearInitializer().addAllInitializer(kept);
    return model.toBuilder().setGraph(g).build().toByteArray();
  }

  /** Adds W's int8 values and per-column scales; returns their name prefix. */
  private static String addQuantizedWeight(GraphProto.Builder g, TensorProto weight, String name)
      throws IOException {
    OnnxWeights.Tensor w = OnnxWeights.tensor(weight);
    int in = (int) w.shape()[0];
    int out = (int) w.shape()[1];
    float[] scale = new float[out];
    for (int i = 0; i < in; i++) {
      for (int j = 0; j < out; j++) {
        scale[j] = Math.max(scale[j], Math.abs(w.values()[i * out + j]));
      }
    }
    for (int j = 0; j < out; j++) {
      scale[j] = scale[j] == 0 ? 1f : scale[j] / 127f;
    }
    byte[] q = new byte[in * out];
    for (int i = 0; i < in; i++) {
      for (int j = 0; j < out; j++) {
        long v = Math.round(w.values()[i * out + j] / scale[j]);
        q[i * out + j] = (byte) Math.max(-127, Math.min(127, v));
      }
    }
    String prefix = "ser4j.q." + name + ".";
    g.addInitializer(OnnxNodes.tensor(prefix + "int8", INT8, new long[] {in, out}, q));
    g.addInitializer(OnnxNodes.floats(prefix + "scale", new long[] {out}, scale));
    return prefix;
  }
}
