package org.ser4j.model.finetune;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.ser4j.encoder.onnx.OnnxProto.AttributeProto;
import org.ser4j.encoder.onnx.OnnxProto.NodeProto;
import org.ser4j.encoder.onnx.OnnxProto.TensorProto;

/** Builders for the ONNX nodes, attributes and initializers that the export and int8 add. */
final class OnnxNodes {
  static final int FLOAT = 1;
  static final int INT8 = 3;
  static final int INT64 = 7;

  private OnnxNodes() {}

  static NodeProto node(String op, String name, String[] in, String out, AttributeProto... a) {
    return node(op, name, in, new String[] {out}, a);
  }

  static NodeProto node(String op, String name, String[] in, String[] out, AttributeProto... a) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name);
    for (String i : in) {
      n.addInput(i);
    }
    for (String o : out) {
      n.addOutput(o);
    }
    for (AttributeProto x : a) {
      n.addAttribute(x);
    }
    return n.build();
  }

  static AttributeProto intAttr(String name, long v) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(v)
        .build();
  }

  static AttributeProto intsAttr(String name, long... v) {
    AttributeProto.Builder b =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long x : v) {
      b.addInts(x);
    }
    return b.build();
  }

  /** A little-endian raw-data tensor of {@code type}. */
  static TensorProto tensor(String name, int type, long[] shape, byte[] raw) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type);
    for (long d : shape) {
      t.addDims(d);
    }
    return t.setRawData(ByteString.copyFrom(raw)).build();
  }

  static TensorProto floats(String name, long[] shape, float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return tensor(name, FLOAT, shape, bytes.array());
  }

  static TensorProto longs(String name, long... values) {
    ByteBuffer bytes = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asLongBuffer().put(values);
    return tensor(name, INT64, new long[] {values.length}, bytes.array());
  }
}
