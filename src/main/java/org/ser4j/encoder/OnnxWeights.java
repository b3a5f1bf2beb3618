package org.ser4j.encoder;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ser4j.encoder.onnx.OnnxProto.GraphProto;
import org.ser4j.encoder.onnx.OnnxProto.ModelProto;
import org.ser4j.encoder.onnx.OnnxProto.NodeProto;
import org.ser4j.encoder.onnx.OnnxProto.TensorProto;

/**
 * The float weights of an ONNX BERT export, by their PyTorch names. Embeddings, biases and
 * LayerNorms carry their names in the file; the dense weights are anonymous MatMul initializers
 * ({@code onnx::MatMul_NNN}, laid out [in, out]), named here after the bias that the Add consuming
 * the MatMul's output adds ({@code ...query.bias} gives {@code ...query.weight}).
 */
public final class OnnxWeights {
  private static final int FLOAT = 1;

  /** A float tensor with its shape. */
  public record Tensor(long[] shape, float[] values) {}

  private OnnxWeights() {}

  public static Map<String, Tensor> read(byte[] onnx) throws IOException {
    GraphProto graph = ModelProto.parseFrom(onnx).getGraph();
    Map<String, String> names = initializerNames(graph);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (TensorProto t : graph.getInitializerList()) {
      if (t.getDataType() != FLOAT) {
        continue;
      }
      String name = names.get(t.getName());
      if (name != null) {
        out.put(name, tensor(t));
      }
    }
    return out;
  }

  /**
   * Each float initializer's PyTorch name, by initializer name: its own name where it has one, else
   * the name of the bias its MatMul's output is added to ({@code onnx::MatMul_NNN} -> {@code
   * ...query.weight}). Initializers without a name here are not BERT weights.
   */
  public static Map<String, String> initializerNames(GraphProto graph) {
    Map<String, TensorProto> initializers = new HashMap<>();
    for (TensorProto t : graph.getInitializerList()) {
      initializers.put(t.getName(), t);
    }
    Map<String, String> producedBy = new HashMap<>(); // MatMul output -> its weight initializer
    for (NodeProto n : graph.getNodeList()) {
      if (n.getOpType().equals("MatMul")
          && n.getInputCount() == 2
          && initializers.containsKey(n.getInput(1))) {
        producedBy.put(n.getOutput(0), n.getInput(1));
      }
    }
    Map<String, String> weightName = new HashMap<>(); // initializer -> PyTorch name
    for (NodeProto n : graph.getNodeList()) {
      if (!n.getOpType().equals("Add") || n.getInputCount() != 2) {
        continue;
      }
      for (int side = 0; side < 2; side++) {
        String matmul = producedBy.get(n.getInput(side));
        String bias = n.getInput(1 - side);
        if (matmul != null && bias.endsWith(".bias") && initializers.containsKey(bias)) {
          weightName.put(matmul, bias.substring(0, bias.length() - ".bias".length()) + ".weight");
        }
      }
    }
    Map<String, String> out = new HashMap<>();
    for (TensorProto t : graph.getInitializerList()) {
      String name = t.getName().startsWith("onnx::") ? weightName.get(t.getName()) : t.getName();
      if (name != null && t.getDataType() == FLOAT) {
        out.put(t.getName(), name);
      }
    }
    return out;
  }

  /** The float values of an initializer, with its shape. */
  public static Tensor tensor(TensorProto t) throws IOException {
    long[] shape = new long[t.getDimsCount()];
    long count = 1;
    for (int i = 0; i < shape.length; i++) {
      shape[i] = t.getDims(i);
      count *= shape[i];
    }
    float[] values = new float[(int) count];
    ByteString raw = t.getRawData();
    if (!raw.isEmpty()) {
      if (raw.size() != 4 * count) {
        throw new IOException(
            "tensor " + t.getName() + ": " + raw.size() + " raw bytes for " + count + " floats");
      }
      raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    } else {
      if (t.getFloatDataCount() != count) {
        throw new IOException(
            "tensor "
                + t.getName()
                + ": "
                + t.getFloatDataCount()
                + " floats for shape of "
                + count);
      }
      for (int i = 0; i < count; i++) {
        values[i] = t.getFloatData(i);
      }
    }
    return new Tensor(shape, values);
  }
}
