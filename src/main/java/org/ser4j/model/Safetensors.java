package org.ser4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Json;

/**
 * The safetensors format (Hugging Face), F32 tensors only: an 8-byte little-endian header length, a
 * JSON header naming each tensor's dtype, shape and byte range, then the raw little-endian data.
 * Python loads it with {@code safetensors.torch.load_file}.
 */
public final class Safetensors {

  private Safetensors() {}

  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    ObjectNode header = Json.LINE.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "F32");
      var shape = t.putArray("shape");
      long count = 1;
      for (long s : e.getValue().shape()) {
        shape.add(s);
        count *= s;
      }
      if (count != e.getValue().values().length) {
        throw new IllegalArgumentException(
            e.getKey()
                + ": shape holds "
                + count
                + " values, data has "
                + e.getValue().values().length);
      }
      t.putArray("data_offsets").add(offset).add(offset + 4 * count);
      offset += 4 * count;
    }
    byte[] json = Json.LINE.writeValueAsBytes(header);
    int padded =
        (json.length + 7) / 8 * 8; // the spec pads the header with spaces to 8-byte alignment
    ByteBuffer out = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(padded);
    out.put(json);
    for (int i = json.length; i < padded; i++) {
      out.put((byte) ' ');
    }
    for (Tensor t : tensors.values()) {
      for (float v : t.values()) {
        out.putFloat(v);
      }
    }
    AtomicFiles.write(file, o -> o.write(out.array()));
  }

  public static Map<String, Tensor> read(Path file) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    if (in.remaining() < 8) {
      throw new IOException(file + ": too short for a safetensors file");
    }
    long headerLength = in.getLong();
    if (headerLength < 2 || headerLength > in.remaining()) {
      throw new IOException(file + ": header length " + headerLength + " does not fit the file");
    }
    byte[] json = new byte[(int) headerLength];
    in.get(json);
    JsonNode header = Json.LINE.readTree(new String(json, StandardCharsets.UTF_8));
    int dataStart = 8 + (int) headerLength;
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      JsonNode t = e.getValue();
      if (!"F32".equals(t.path("dtype").asText())) {
        throw new IOException(
            file
                + ": tensor "
                + e.getKey()
                + " has dtype "
                + t.path("dtype").asText()
                + "; only F32 is supported");
      }
      long[] shape = new long[t.get("shape").size()];
      long count = 1;
      for (int i = 0; i < shape.length; i++) {
        shape[i] = t.get("shape").get(i).asLong();
        count *= shape[i];
      }
      long begin = t.get("data_offsets").get(0).asLong();
      long end = t.get("data_offsets").get(1).asLong();
      if (end - begin != 4 * count || dataStart + end > in.capacity()) {
        throw new IOException(file + ": tensor " + e.getKey() + " has inconsistent offsets");
      }
      float[] values = new float[(int) count];
      in.position(dataStart + (int) begin);
      in.asFloatBuffer().get(values);
      out.put(e.getKey(), new Tensor(shape, values));
    }
    return out;
  }
}
