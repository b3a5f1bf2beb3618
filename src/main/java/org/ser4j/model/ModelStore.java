package org.ser4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.InputStrategy;
import org.ser4j.encoder.Pooling;
import org.ser4j.util.AtomicFiles;

/**
 * A model directory: {@code config.json} (encoder, head shape, provenance) and {@code
 * model.safetensors} (head weights plus the feature normalizer). Both are written atomically;
 * the weights first, so a directory with a config always has its weights.
 */
public final class ModelStore {
  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  private static final String FORMAT = "ser4j-reward-model";
  private static final String FINETUNED_FORMAT = "ser4j-finetuned-reward-model";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelStore() {}

  public static void save(RewardModel model, Path dir) throws IOException {
    Files.createDirectories(dir);
    Map<String, RewardHead.Tensor> tensors = new LinkedHashMap<>(model.head().tensors());
    FeatureNormalizer n = model.normalizer();
    tensors.put("normalizer.mean", new RewardHead.Tensor(new long[] {n.mean().length}, n.mean()));
    tensors.put("normalizer.std", new RewardHead.Tensor(new long[] {n.std().length}, n.std()));
    Safetensors.write(dir.resolve(WEIGHTS), tensors, Map.of("format", "pt", "producer", "ser4j"));

    ObjectNode config = JSON.createObjectNode();
    config.put("format", FORMAT);
    config.put("version", 1);
    writeEncoder(config.putObject("encoder"), model.encoder());
    ObjectNode head = config.putObject("head");
    RewardHead h = model.head();
    head.put("type", h instanceof MlpHead ? "mlp" : "linear");
    head.put("input_dim", h.inputDimension());
    head.put("hidden", h instanceof MlpHead mlp ? mlp.hidden() : 0);
    head.put("reward", "r = head((features - normalizer.mean) / normalizer.std); P(a > b) = sigmoid(r(a) - r(b))");
    config.set("reward_scale", JSON.valueToTree(model.scale()));
    config.set("provenance", JSON.valueToTree(model.provenance()));
    AtomicFiles.writeString(dir.resolve(CONFIG), JSON.writeValueAsString(config) + "\n");
  }

  public static RewardModel load(Path dir) throws IOException {
    JsonNode config = readConfig(dir, FORMAT);
    EncoderConfig encoder = readEncoder(config.path("encoder"));
    Map<String, RewardHead.Tensor> tensors = Safetensors.read(dir.resolve(WEIGHTS));
    RewardHead.Tensor mean = tensors.remove("normalizer.mean");
    RewardHead.Tensor std = tensors.remove("normalizer.std");
    if (mean == null || std == null) {
      throw new IOException(dir.resolve(WEIGHTS) + ": missing normalizer.mean / normalizer.std");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> provenance = JSON.convertValue(config.path("provenance"), Map.class);
    RewardScale scale = config.hasNonNull("reward_scale") ? JSON.treeToValue(config.get("reward_scale"), RewardScale.class) : RewardScale.NONE;
    return new RewardModel(encoder, new FeatureNormalizer(mean.values(), std.values()), Heads.fromTensors(tensors), provenance == null ? Map.of() : provenance, scale);
  }

  private static void writeEncoder(ObjectNode enc, EncoderConfig e) {
    enc.put("name", e.name());
    enc.put("model", e.model());
    enc.put("tokenizer", e.tokenizer());
    enc.put("pooling", e.pooling().name().toLowerCase(java.util.Locale.ROOT));
    enc.put("max_length", e.maxLength());
    enc.put("input_strategy", e.strategy().cliName());
    enc.put("fingerprint", e.fingerprint());
  }

  private static EncoderConfig readEncoder(JsonNode enc) {
    return new EncoderConfig(
        enc.path("name").asText(),
        enc.path("model").asText(),
        enc.path("tokenizer").asText(),
        Pooling.valueOf(enc.path("pooling").asText().toUpperCase(java.util.Locale.ROOT)),
        enc.path("max_length").asInt(),
        InputStrategy.fromName(enc.path("input_strategy").asText()),
        enc.path("fingerprint").asText());
  }

  private static JsonNode readConfig(Path dir, String format) throws IOException {
    Path configFile = dir.resolve(CONFIG);
    if (!Files.isRegularFile(configFile)) {
      throw new IOException(dir + ": not a model directory (no " + CONFIG + ")");
    }
    JsonNode config = JSON.readTree(configFile.toFile());
    if (!format.equals(config.path("format").asText())) {
      throw new IOException(configFile + ": field 'format': expected \"" + format + "\", found \"" + config.path("format").asText() + "\"");
    }
    return config;
  }

  /** Whether {@code dir} holds a fine-tuned model (encoder weights saved) rather than a frozen-encoder one. */
  public static boolean isFineTuned(Path dir) throws IOException {
    Path configFile = dir.resolve(CONFIG);
    return Files.isRegularFile(configFile) && FINETUNED_FORMAT.equals(JSON.readTree(configFile.toFile()).path("format").asText());
  }

  /**
   * A fine-tuned model: {@code model.safetensors} holds the weights training changed (the top
   * layers, every layer, or only the LoRA adapters) and the head; {@code config.json} names the
   * pretrained file they apply to.
   */
  public static void save(FineTunedModel model, Path dir) throws IOException {
    Files.createDirectories(dir);
    Safetensors.write(dir.resolve(WEIGHTS), model.tensors(), Map.of("format", "pt", "producer", "ser4j"));
    ObjectNode config = JSON.createObjectNode();
    config.put("format", FINETUNED_FORMAT);
    config.put("version", 1);
    ObjectNode enc = config.putObject("encoder");
    writeEncoder(enc, model.encoder());
    enc.put("attention_heads", model.heads());
    config.set("training", JSON.valueToTree(model.training()));
    config.put("reward", "r = head.weight . mean_pool(bert(sequence)) + head.bias; P(a > b) = sigmoid(r(a) - r(b))");
    config.set("reward_scale", JSON.valueToTree(model.scale()));
    config.set("provenance", JSON.valueToTree(model.provenance()));
    AtomicFiles.writeString(dir.resolve(CONFIG), JSON.writeValueAsString(config) + "\n");
  }

  public static FineTunedModel loadFineTuned(Path dir) throws IOException {
    JsonNode config = readConfig(dir, FINETUNED_FORMAT);
    JsonNode enc = config.path("encoder");
    FineTuneConfig training = JSON.treeToValue(config.get("training"), FineTuneConfig.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> provenance = JSON.convertValue(config.path("provenance"), Map.class);
    RewardScale scale = config.hasNonNull("reward_scale") ? JSON.treeToValue(config.get("reward_scale"), RewardScale.class) : RewardScale.NONE;
    return new FineTunedModel(readEncoder(enc), enc.path("attention_heads").asInt(12), training, Safetensors.read(dir.resolve(WEIGHTS)),
        provenance == null ? Map.of() : provenance, scale);
  }
}
