package org.ser4j.model.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.encoder.EncoderSpec;
import org.ser4j.model.ModelFormat;
import org.ser4j.model.ModelStore;
import org.ser4j.model.Provenance;
import org.ser4j.model.RewardScale;
import org.ser4j.model.RewardScorer;
import org.ser4j.model.Tensor;
import org.ser4j.model.TrainedModel;
import org.ser4j.util.Json;

/**
 * A trained reward model whose encoder learned, immutable: the pretrained encoder it started from
 * (by file and fingerprint), how it was adapted ({@link FineTuneMode}, LoRA settings), only the
 * weights that training changed (plus the head), its provenance and reward scale. {@link #network}
 * rebuilds the live network.
 */
public final class FineTunedModel implements TrainedModel {
  public static final String FORMAT = "ser4j-finetuned-reward-model";
  private final EncoderConfig encoder;
  private final int heads;
  private final FineTuneConfig training;
  private final Map<String, Tensor> tensors;
  private final Provenance provenance;
  private final RewardScale scale;
  private final OnnxFile onnx;

  /** An exported graph of this model ({@link OnnxExport}) and the SHA-256 it must have. */
  public record OnnxFile(Path path, String sha256) {}

  public static final String ONNX_FILE = "model.onnx";

  public FineTunedModel(
      EncoderConfig encoder,
      int heads,
      FineTuneConfig training,
      Map<String, Tensor> tensors,
      Provenance provenance,
      RewardScale scale) {
    this(encoder, heads, training, tensors, provenance, scale, null);
  }

  private FineTunedModel(
      EncoderConfig encoder,
      int heads,
      FineTuneConfig training,
      Map<String, Tensor> tensors,
      Provenance provenance,
      RewardScale scale,
      OnnxFile onnx) {
    this.onnx = onnx;
    this.encoder = encoder;
    this.heads = heads;
    this.training = training;
    this.tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    this.provenance = provenance;
    this.scale = scale;
  }

  /** The current weights of a live network, as a model. */
  public static FineTunedModel of(
      BertRewardNet net,
      EncoderConfig encoder,
      int heads,
      FineTuneConfig training,
      Provenance provenance) {
    return new FineTunedModel(
        encoder, heads, training, net.trainedTensors(), provenance, RewardScale.NONE);
  }

  @Override
  public FineTunedModel withScale(RewardScale s) {
    return new FineTunedModel(encoder, heads, training, tensors, provenance, s, onnx);
  }

  @Override
  public FineTunedModel withProvenance(Provenance p) {
    return new FineTunedModel(encoder, heads, training, tensors, p, scale, onnx);
  }

  /** The exported graph this model scores with, or null (then DJL runs the network). */
  public OnnxFile onnx() {
    return onnx;
  }

  /**
   * Writes {@value #ONNX_FILE} into {@code dir} ({@link OnnxExport}) and the model with it, whose
   * config names the file's SHA-256; from then on the directory scores through ONNX Runtime.
   */
  public FineTunedModel exportOnnx(Path dir) throws IOException {
    return exportOnnx(dir, false);
  }

  /** As {@link #exportOnnx(Path)}; with {@code int8}, the graph's dense weights quantized. */
  public FineTunedModel exportOnnx(Path dir, boolean int8) throws IOException {
    byte[] exported = OnnxExport.export(this);
    byte[] bytes = int8 ? OnnxQuantize.dynamicInt8(exported) : exported;
    Path file = dir.resolve(ONNX_FILE);
    org.ser4j.util.AtomicFiles.write(file, out -> out.write(bytes));
    FineTunedModel withOnnx =
        new FineTunedModel(
            encoder,
            heads,
            training,
            tensors,
            provenance,
            scale,
            new OnnxFile(file, org.ser4j.encoder.OnnxEncoder.sha256(bytes)));
    withOnnx.save(dir);
    return withOnnx;
  }

  @Override
  public EncoderConfig encoder() {
    return encoder;
  }

  public int heads() {
    return heads;
  }

  public FineTuneConfig training() {
    return training;
  }

  public Map<String, Tensor> tensors() {
    return tensors;
  }

  @Override
  public Provenance provenance() {
    return provenance;
  }

  @Override
  public RewardScale scale() {
    return scale;
  }

  /**
   * The live network: the pretrained file (checked against the fingerprint) with the trained
   * weights loaded.
   */
  public BertRewardNet network() throws IOException {
    String found = EncoderSpec.fingerprint(encoder.model());
    if (encoder.fingerprint() != null && !encoder.fingerprint().equals(found)) {
      throw new IllegalArgumentException(
          "encoder mismatch: the model was fine-tuned from "
              + encoder.model()
              + " weights "
              + encoder.fingerprint()
              + ", found "
              + found);
    }
    BertRewardNet net = BertRewardNet.pretrained(encoder.model(), heads, training);
    net.load(tensors);
    return net;
  }

  @Override
  public RewardScorer open(EncoderRuntime runtime) throws IOException {
    if (onnx != null) {
      return new OnnxRewardScorer(this, runtime);
    }
    return new FineTunedScorer(this, runtime.progress());
  }

  @Override
  public String describe() {
    return encoder.name() + " fine-tuned (" + training.mode() + ")";
  }

  /**
   * The weights training changed (the top layers, every layer, or only the LoRA adapters) and the
   * head in the weights file; config.json names the pretrained file they apply to.
   */
  @Override
  public void save(Path dir) throws IOException {
    ObjectNode config = Json.CANONICAL.createObjectNode();
    config.put("attention_heads", heads);
    config.set("training", Json.CANONICAL.valueToTree(training));
    config.put(
        "reward",
        "r = head.weight . mean_pool(bert(sequence)) + head.bias; P(a > b) = sigmoid(r(a) - r(b))");
    if (onnx != null) {
      Path target = dir.resolve(ONNX_FILE);
      if (!java.nio.file.Files.exists(target)
          || !java.nio.file.Files.isSameFile(target, onnx.path())) {
        org.ser4j.util.AtomicFiles.write(
            target, out -> java.nio.file.Files.copy(onnx.path(), out)); // streamed, not held
      }
      config.put("onnx", ONNX_FILE);
      config.put("onnx_sha256", onnx.sha256());
    }
    ModelStore.write(dir, FORMAT, tensors, config, this);
  }

  /** A fine-tuned model directory (fails on a directory of another family). */
  public static FineTunedModel load(Path dir) throws IOException {
    return new Format().load(dir, ModelStore.readConfig(dir, FORMAT));
  }

  /** Reads {@value #FORMAT} directories for {@link ModelStore#load}. */
  public static final class Format implements ModelFormat {
    @Override
    public String name() {
      return FORMAT;
    }

    @Override
    public FineTunedModel load(Path dir, JsonNode config) throws IOException {
      // Directories written before attention_heads moved out of "encoder" keep it there.
      int heads =
          config
              .path("attention_heads")
              .asInt(config.path("encoder").path("attention_heads").asInt(12));
      FineTuneConfig training =
          Json.CANONICAL.treeToValue(config.get("training"), FineTuneConfig.class);
      Path onnxFile = dir.resolve(config.path("onnx").asText(ONNX_FILE));
      OnnxFile onnx =
          config.hasNonNull("onnx_sha256") && java.nio.file.Files.isRegularFile(onnxFile)
              ? new OnnxFile(onnxFile, config.get("onnx_sha256").asText())
              : null;
      return new FineTunedModel(
          ModelStore.readEncoder(config),
          heads,
          training,
          ModelStore.readWeights(dir),
          ModelStore.readProvenance(config),
          ModelStore.readScale(config),
          onnx);
    }
  }
}
