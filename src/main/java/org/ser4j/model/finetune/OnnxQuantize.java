package org.ser4j.model.finetune;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.ser4j.encoder.OnnxWeights;
import org.ser4j.encoder.onnx.OnnxProto.AttributeProto;
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
  private static final int FLOAT = 1;
  private static final int INT8 = 3;

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
    g.addInitializer(
        TensorProto.newBuilder()
            .setName("ser4j.q.zero")
            .setDataType(INT8)
            .setRawData(ByteString.copyFrom(new byte[] {0}))
            .build());
    int k = 0;
    for (NodeProto n : graph.getNodeList()) {
      String w = n.getOpType().equals("MatMul") && n.getInputCount() == 2 ? n.getInput(1) : null;
      TensorProto weight = w == null ? null : initializers.get(w);
      if (weight == null || !bertWeights.containsKey(w) || weight.getDimsCount() != 2) {
        g.addNode(n);
        continue;
      }
      String q = quantized.computeIfAbsent(w, name -> addQuantizedWeight(g, weight, name));
      String p = "ser4j.q" + (k++) + ".";
      String x = n.getInput(0);
      g.addNode(
          node(
              "DynamicQuantizeLinear",
              new String[] {x},
              new String[] {p + "x", p + "x_scale", p + "x_zero"}));
      g.addNode(
          node(
              "MatMulInteger",
              new String[] {p + "x", q + "int8", p + "x_zero", "ser4j.q.zero"},
              new String[] {p + "int32"}));
      g.addNode(
          node(
              "Cast",
              new String[] {p + "int32"},
              new String[] {p + "float"},
              intAttr("to", FLOAT)));
      g.addNode(node("Mul", new String[] {p + "x_scale", q + "scale"}, new String[] {p + "scale"}));
      g.addNode(
          node("Mul", new String[] {p + "float", p + "scale"}, new String[] {n.getOutput(0)}));
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
  private static String addQuantizedWeight(GraphProto.Builder g, TensorProto weight, String name) {
    OnnxWeights.Tensor w;
    try {
      w = OnnxWeights.tensor(weight);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
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
    g.addInitializer(
        TensorProto.newBuilder()
            .setName(prefix + "int8")
            .setDataType(INT8)
            .addDims(in)
            .addDims(out)
            .setRawData(ByteString.copyFrom(q)));
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(4 * out).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(scale);
    g.addInitializer(
        TensorProto.newBuilder()
            .setName(prefix + "scale")
            .setDataType(FLOAT)
            .addDims(out)
            .setRawData(ByteString.copyFrom(b.array())));
    return prefix;
  }

  private static NodeProto node(String op, String[] in, String[] out, AttributeProto... attrs) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(out[0] + "_" + op);
    for (String i : in) {
      n.addInput(i);
    }
    for (String o : out) {
      n.addOutput(o);
    }
    for (AttributeProto a : attrs) {
      n.addAttribute(a);
    }
    return n.build();
  }

  private static AttributeProto intAttr(String name, long v) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(v)
        .build();
  }
}
