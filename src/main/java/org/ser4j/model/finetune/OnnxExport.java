package org.ser4j.model.finetune;

import static org.ser4j.model.finetune.OnnxNodes.FLOAT;
import static org.ser4j.model.finetune.OnnxNodes.floats;
import static org.ser4j.model.finetune.OnnxNodes.intAttr;
import static org.ser4j.model.finetune.OnnxNodes.intsAttr;
import static org.ser4j.model.finetune.OnnxNodes.longs;
import static org.ser4j.model.finetune.OnnxNodes.node;

import java.io.IOException;
import java.util.Map;
import org.ser4j.encoder.EncoderSpec;
import org.ser4j.encoder.OnnxWeights;
import org.ser4j.encoder.onnx.OnnxProto.GraphProto;
import org.ser4j.encoder.onnx.OnnxProto.ModelProto;
import org.ser4j.encoder.onnx.OnnxProto.NodeProto;
import org.ser4j.encoder.onnx.OnnxProto.OperatorSetIdProto;
import org.ser4j.encoder.onnx.OnnxProto.TensorProto;
import org.ser4j.encoder.onnx.OnnxProto.TensorShapeProto;
import org.ser4j.encoder.onnx.OnnxProto.TypeProto;
import org.ser4j.encoder.onnx.OnnxProto.ValueInfoProto;
import org.ser4j.model.Tensor;

/**
 * A fine-tuned reward model as one ONNX graph that outputs the reward: the pretrained graph with
 * the trained weights written into its initializers (LoRA merged: W + (alpha / r) A B, in the
 * graph's [in, out] layout), then mean pooling over the attention mask and the linear head
 * appended, r = w . mean_pool(states) + b, as {@link BertRewardNet} computes it.
 */
public final class OnnxExport {
  /** The graph's one output: the reward of each sequence, [batch]. */
  public static final String OUTPUT = "reward";

  private OnnxExport() {}

  public static byte[] export(FineTunedModel model) throws IOException {
    ModelProto pretrained = ModelProto.parseFrom(EncoderSpec.readAll(model.encoder().model()));
    GraphProto graph = pretrained.getGraph();
    Map<String, String> torchName = OnnxWeights.initializerNames(graph);
    Map<String, Tensor> trained = model.tensors();
    float loraScale = (float) (model.training().loraAlpha() / model.training().loraRank());
    GraphProto.Builder g = graph.toBuilder().clearInitializer();
    int replaced = 0;
    for (TensorProto t : graph.getInitializerList()) {
      String name = torchName.get(t.getName());
      if (name == null) {
        g.addInitializer(t);
        continue;
      }
      Tensor w = trained.get(name);
      Tensor a = trained.get(stem(name) + ".lora_A");
      if (w == null && a == null) {
        g.addInitializer(t);
        continue;
      }
      OnnxWeights.Tensor base = OnnxWeights.tensor(t);
      float[] values = w != null ? w.values().clone() : base.values().clone();
      if (values.length != base.values().length) {
        throw new IOException(
            name
                + ": trained tensor has "
                + values.length
                + " values, the graph's "
                + base.values().length);
      }
      if (a != null) {
        merge(values, base.shape(), a, trained.get(stem(name) + ".lora_B"), loraScale, name);
      }
      g.addInitializer(floats(t.getName(), base.shape(), values));
      replaced++;
    }
    if (replaced == 0 && trained.keySet().stream().anyMatch(k -> !k.startsWith("head."))) {
      throw new IOException(
          "no trained weight matched an initializer of " + model.encoder().model());
    }
    appendPoolAndHead(g, trained, opset(pretrained));
    return pretrained.toBuilder().setGraph(g).build().toByteArray();
  }

  /** "encoder.layer.0.attention.self.query.weight" -> "encoder.layer.0.attention.self.query". */
  private static String stem(String weightName) {
    return weightName.endsWith(".weight")
        ? weightName.substring(0, weightName.length() - ".weight".length())
        : weightName;
  }

  /** values += scale * A B, all row-major: W [in, out], A [in, r], B [r, out]. */
  private static void merge(
      float[] values, long[] shape, Tensor a, Tensor b, float scale, String name)
      throws IOException {
    if (b == null || shape.length != 2) {
      throw new IOException(name + ": LoRA needs lora_A and lora_B on a 2-d weight");
    }
    int in = (int) shape[0];
    int out = (int) shape[1];
    int r = (int) a.shape()[1];
    if (a.shape()[0] != in || b.shape()[0] != r || b.shape()[1] != out) {
      throw new IOException(
          name + ": LoRA shapes do not fit the weight's [" + in + ", " + out + "]");
    }
    float[] av = a.values();
    float[] bv = b.values();
    for (int i = 0; i < in; i++) {
      for (int k = 0; k < r; k++) {
        float aik = scale * av[i * r + k];
        if (aik == 0) {
          continue;
        }
        int row = i * out;
        int brow = k * out;
        for (int j = 0; j < out; j++) {
          values[row + j] += aik * bv[brow + j];
        }
      }
    }
  }

  private static long opset(ModelProto m) {
    for (OperatorSetIdProto o : m.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
        return o.getVersion();
      }
    }
    return 0;
  }

  /**
   * reward = (sum_t mask_t h_t / max(sum_t mask_t, 1)) . w + b, from the graph's first output (the
   * last hidden states, [batch, length, hidden]) and its attention_mask input.
   */
  private static void appendPoolAndHead(
      GraphProto.Builder g, Map<String, Tensor> trained, long opset) throws IOException {
    Tensor w = trained.get(BertRewardNet.HEAD_WEIGHT);
    Tensor b = trained.get(BertRewardNet.HEAD_BIAS);
    if (w == null || b == null) {
      throw new IOException("the model has no head weights to export");
    }
    String states = g.getOutput(0).getName();
    g.addInitializer(floats("ser4j.head.weight", new long[] {w.values().length, 1}, w.values()));
    g.addInitializer(floats("ser4j.head.bias", new long[] {1}, b.values()));
    g.addInitializer(floats("ser4j.one", new long[] {}, new float[] {1f}));
    boolean axesAsInput = opset >= 13; // Unsqueeze, ReduceSum and Squeeze take axes as an input
    if (axesAsInput) {
      g.addInitializer(longs("ser4j.axis1", 1));
      g.addInitializer(longs("ser4j.axis2", 2));
    }
    g.addNode(
        node(
            "Cast",
            "ser4j_mask_float",
            new String[] {"attention_mask"},
            "ser4j.mask",
            intAttr("to", FLOAT)));
    g.addNode(
        axesAsInput
            ? node(
                "Unsqueeze",
                "ser4j_mask_3d",
                new String[] {"ser4j.mask", "ser4j.axis2"},
                "ser4j.mask3")
            : node(
                "Unsqueeze",
                "ser4j_mask_3d",
                new String[] {"ser4j.mask"},
                "ser4j.mask3",
                intsAttr("axes", 2)));
    g.addNode(node("Mul", "ser4j_masked", new String[] {states, "ser4j.mask3"}, "ser4j.masked"));
    g.addNode(reduceSum("ser4j_sum_states", "ser4j.masked", "ser4j.summed", axesAsInput, 0));
    g.addNode(reduceSum("ser4j_count", "ser4j.mask", "ser4j.count", axesAsInput, 1));
    g.addNode(
        node("Max", "ser4j_count_min1", new String[] {"ser4j.count", "ser4j.one"}, "ser4j.count1"));
    g.addNode(
        node("Div", "ser4j_mean", new String[] {"ser4j.summed", "ser4j.count1"}, "ser4j.pooled"));
    g.addNode(
        node(
            "MatMul",
            "ser4j_head",
            new String[] {"ser4j.pooled", "ser4j.head.weight"},
            "ser4j.score"));
    g.addNode(
        node(
            "Add",
            "ser4j_head_bias",
            new String[] {"ser4j.score", "ser4j.head.bias"},
            "ser4j.score_b"));
    g.addNode(
        axesAsInput
            ? node("Squeeze", "ser4j_reward", new String[] {"ser4j.score_b", "ser4j.axis1"}, OUTPUT)
            : node(
                "Squeeze",
                "ser4j_reward",
                new String[] {"ser4j.score_b"},
                OUTPUT,
                intsAttr("axes", 1)));
    g.clearOutput();
    g.addOutput(
        ValueInfoProto.newBuilder()
            .setName(OUTPUT)
            .setType(
                TypeProto.newBuilder()
                    .setTensorType(
                        TypeProto.Tensor.newBuilder()
                            .setElemType(FLOAT)
                            .setShape(
                                TensorShapeProto.newBuilder()
                                    .addDim(
                                        TensorShapeProto.Dimension.newBuilder()
                                            .setDimParam("batch"))))));
  }

  /** Sum over axis 1, keeping it when {@code keep} (the count, [batch, 1]). */
  private static NodeProto reduceSum(
      String name, String in, String out, boolean axesAsInput, int keep) {
    return axesAsInput
        ? node("ReduceSum", name, new String[] {in, "ser4j.axis1"}, out, intAttr("keepdims", keep))
        : node(
            "ReduceSum",
            name,
            new String[] {in},
            out,
            intsAttr("axes", 1),
            intAttr("keepdims", keep));
  }
}
