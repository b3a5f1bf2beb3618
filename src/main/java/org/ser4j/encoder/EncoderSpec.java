package org.ser4j.encoder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where an encoder's ONNX model and tokenizer.json come from, and how its output is pooled. A
 * location is either {@code classpath:NAME} (a built-in shipped in a Maven artifact) or a path.
 */
public record EncoderSpec(String name, String model, String tokenizer, Pooling pooling) {

  /** Built-in encoders, from Maven Central artifacts on the classpath. */
  public static final Map<String, EncoderSpec> BUILT_IN = new LinkedHashMap<>();

  private static final Map<String, String[]> PREFIXES = new java.util.HashMap<>();

  static {
    add(
        new EncoderSpec(
            "minilm-l6-q",
            "classpath:all-minilm-l6-v2-q.onnx",
            "classpath:all-minilm-l6-v2-q-tokenizer.json",
            Pooling.MEAN));
    // Float weights: the base for fine-tuning (int8 weights cannot train).
    add(
        new EncoderSpec(
            "minilm-l6",
            "classpath:all-minilm-l6-v2.onnx",
            "classpath:all-minilm-l6-v2-tokenizer.json",
            Pooling.MEAN));
    add(
        new EncoderSpec(
            "bge-small-q",
            "classpath:bge-small-en-v1.5-q.onnx",
            "classpath:bge-small-en-v1.5-q-tokenizer.json",
            Pooling.CLS));
    // Float bge-small: 12 layers to MiniLM's 6, fine-tunable (then mean-pooled, as every learner).
    add(
        new EncoderSpec(
            "bge-small",
            "classpath:bge-small-en-v1.5.onnx",
            "classpath:bge-small-en-v1.5-tokenizer.json",
            Pooling.CLS));
  }

  static {
    // e5 was trained with these prefixes on queries and passages, and reads text without them
    // worse.
    add(
        new EncoderSpec(
            "e5-small-q",
            "classpath:e5-small-v2-q.onnx",
            "classpath:e5-small-v2-q-tokenizer.json",
            Pooling.MEAN));
    PREFIXES.put("e5-small-q", new String[] {"query: ", "passage: "});
  }

  /**
   * The prefixes a built-in encoder expects before a prompt (a query) and before a response (a
   * passage): {"", ""} for most.
   */
  public static String[] prefixes(String name) {
    return PREFIXES.getOrDefault(name, NO_PREFIXES).clone();
  }

  private static final String[] NO_PREFIXES = {"", ""};

  private static void add(EncoderSpec spec) {
    BUILT_IN.put(spec.name(), spec);
  }

  public static final String DEFAULT = "bge-small-q";

  /** A built-in by name. */
  public static EncoderSpec builtIn(String name) {
    EncoderSpec spec = BUILT_IN.get(name.toLowerCase(Locale.ROOT));
    if (spec == null) {
      throw new IllegalArgumentException(
          "unknown encoder '"
              + name
              + "'; built-in encoders: "
              + BUILT_IN.keySet()
              + " (or give --encoder-model FILE.onnx --tokenizer tokenizer.json)");
    }
    return spec;
  }

  /** A local ONNX model and its tokenizer.json. */
  public static EncoderSpec local(Path model, Path tokenizer, Pooling pooling) {
    return new EncoderSpec(
        "local:" + model.getFileName(), model.toString(), tokenizer.toString(), pooling);
  }

  static InputStream open(String location) throws IOException {
    if (location.startsWith("classpath:")) {
      String resource = location.substring("classpath:".length());
      InputStream in = EncoderSpec.class.getClassLoader().getResourceAsStream(resource);
      if (in == null) {
        throw new IOException(
            "resource "
                + resource
                + " is not on the classpath (is its Maven artifact a dependency?)");
      }
      return in;
    }
    Path path = Path.of(location);
    if (!Files.isRegularFile(path)) {
      throw new IOException(path + ": no such file");
    }
    return Files.newInputStream(path);
  }

  /** The first 12 hex digits of the file's SHA-256, as {@link OnnxEncoder#fingerprint()}. */
  public static String fingerprint(String location) throws IOException {
    return OnnxEncoder.sha256(readAll(location)).substring(0, 12);
  }

  public static byte[] readAll(String location) throws IOException {
    try (InputStream in = open(location)) {
      return in.readAllBytes();
    }
  }
}
