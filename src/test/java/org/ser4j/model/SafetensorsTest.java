package org.ser4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.model.head.Heads;
import org.ser4j.model.head.LinearHead;
import org.ser4j.model.head.MlpHead;
import org.ser4j.model.head.RewardHead;

class SafetensorsTest {
  @TempDir Path dir;

  @Test
  void writesTheLayoutTheSpecDescribesAndReadsItBack() throws Exception {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("a", new Tensor(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
    tensors.put("b", new Tensor(new long[] {1}, new float[] {-0.5f}));
    Path file = dir.resolve("t.safetensors");
    Safetensors.write(file, tensors, Map.of("format", "pt"));

    // Check the bytes independently of our reader.
    ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    long n = raw.getLong();
    assertEquals(0, n % 8, "header padded to 8 bytes");
    byte[] header = new byte[(int) n];
    raw.get(header);
    JsonNode json = new ObjectMapper().readTree(new String(header, StandardCharsets.UTF_8).trim());
    assertEquals("F32", json.get("a").get("dtype").asText());
    assertEquals("[2,3]", json.get("a").get("shape").toString());
    assertEquals("[0,24]", json.get("a").get("data_offsets").toString());
    assertEquals("[24,28]", json.get("b").get("data_offsets").toString());
    assertEquals("pt", json.get("__metadata__").get("format").asText());
    assertEquals(8 + n + 28, Files.size(file));
    raw.position(8 + (int) n + 24);
    assertEquals(-0.5f, raw.getFloat());

    Map<String, Tensor> back = Safetensors.read(file);
    assertArrayEquals(new long[] {2, 3}, back.get("a").shape());
    assertArrayEquals(tensors.get("a").values(), back.get("a").values());
    assertArrayEquals(tensors.get("b").values(), back.get("b").values());
  }

  @Test
  void truncatedFileIsAClearError() throws Exception {
    Map<String, Tensor> tensors = Map.of("a", new Tensor(new long[] {4}, new float[] {1, 2, 3, 4}));
    Path file = dir.resolve("t.safetensors");
    Safetensors.write(file, tensors, Map.of());
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 4));
    IOException e = assertThrows(IOException.class, () -> Safetensors.read(file));
    assertEquals(file + ": tensor a has inconsistent offsets", e.getMessage());
  }

  @Test
  void headsSurviveTheirTensorsExactly() {
    MlpHead mlp = new MlpHead(5, 3, 11);
    RewardHead back = Heads.fromTensors(mlp.tensors());
    float[] x = {0.1f, -2f, 3f, 0.5f, 1f};
    assertEquals((float) mlp.score(x), (float) back.score(x), 1e-6);
    LinearHead lin = new LinearHead(3);
    lin.parameters()[1] = 2.5;
    assertEquals(2.5 * 4, Heads.fromTensors(lin.tensors()).score(new float[] {0, 4, 0}), 1e-12);
  }
}
