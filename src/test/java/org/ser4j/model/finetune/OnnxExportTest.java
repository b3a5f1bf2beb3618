package org.ser4j.model.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.encoder.EncoderSpec;
import org.ser4j.encoder.Pooling;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.ModelStore;
import org.ser4j.model.Provenance;
import org.ser4j.model.RewardScorer;
import org.ser4j.model.Tensor;
import org.ser4j.testing.SharedData;
import org.ser4j.util.Progress;

/**
 * A fine-tuned model exported to one ONNX graph scores as DJL's network does, within 1e-4, for
 * top:K, full and LoRA: the weights stand in for training's (each learnable tensor moved by seeded
 * noise, LoRA's B made non-zero), so an export that kept a pretrained weight would differ.
 */
class OnnxExportTest {
  @TempDir static Path dir;
  static List<ResponseInput> inputs;

  @BeforeAll
  static void texts() {
    List<PreferencePair> all =
        PairReader.readAll(
                SharedData.require(SharedData.HH_RLHF), ReadOptions.defaults().withSkipBad(true))
            .pairs();
    inputs = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      PreferencePair p = all.get(i * 37);
      inputs.add(new ResponseInput(p.prompt(), i % 2 == 0 ? p.chosen() : p.rejected()));
    }
  }

  private static FineTunedModel moved(String mode) throws Exception {
    return moved(mode, EncoderSpec.builtIn("minilm-l6"));
  }

  /** {@code encoder}'s pretrained weights, randomly moved where {@code mode} trains. */
  private static FineTunedModel moved(String mode, EncoderSpec encoder) throws Exception {
    FineTuneConfig config = FineTuneConfig.defaults(FineTuneMode.parse(mode)).withSeed(3);
    EncoderConfig enc = EncoderConfig.of(encoder, true, 96, "pair").pinned();
    Map<String, Tensor> weights;
    try (BertRewardNet net = BertRewardNet.pretrained(encoder.model(), 12, config)) {
      weights = new LinkedHashMap<>(net.trainedTensors());
    }
    SplittableRandom random = new SplittableRandom(mode.hashCode());
    for (Map.Entry<String, Tensor> e : weights.entrySet()) {
      float[] v = e.getValue().values().clone();
      double size = e.getKey().endsWith("lora_B") ? 0.05 : 0.02;
      for (int i = 0; i < v.length; i++) {
        v[i] += (float) (size * random.nextGaussian());
      }
      e.setValue(new Tensor(e.getValue().shape(), v));
    }
    return new FineTunedModel(
        enc, 12, config, weights, Provenance.UNKNOWN, org.ser4j.model.RewardScale.NONE);
  }

  private static void sameRewards(String mode) throws Exception {
    sameRewards(mode, moved(mode));
  }

  private static void sameRewards(String mode, FineTunedModel model) throws Exception {
    Path out = dir.resolve(mode.replace(':', '-'));
    model.save(out);
    double[] djl;
    try (RewardScorer s = ModelStore.load(out).open(runtime())) {
      assertTrue(s instanceof FineTunedScorer, "no model.onnx yet: DJL scores");
      djl = s.rewards(inputs);
    }
    ((FineTunedModel) ModelStore.load(out)).exportOnnx(out);
    assertTrue(Files.size(out.resolve(FineTunedModel.ONNX_FILE)) > 1_000_000);
    FineTunedModel loaded = (FineTunedModel) ModelStore.load(out);
    assertNotNull(loaded.onnx(), "config.json names the exported graph");
    double[] onnx;
    try (RewardScorer s = loaded.open(runtime())) {
      assertTrue(s instanceof OnnxRewardScorer, "with model.onnx: ONNX Runtime scores");
      onnx = s.rewards(inputs);
    }
    double spread = 0;
    for (int i = 0; i < djl.length; i++) {
      assertEquals(djl[i], onnx[i], 1e-4, mode + " input " + i);
      spread = Math.max(spread, Math.abs(djl[i] - djl[0]));
    }
    assertTrue(spread > 1e-3, "the rewards differ between inputs, so the check means something");
  }

  private static EncoderRuntime runtime() {
    return new EncoderRuntime(null, 2, 1, Progress.quiet());
  }

  @Test
  void topKExportScoresAsDjl() throws Exception {
    sameRewards("top:2");
  }

  @Test
  void fullExportScoresAsDjl() throws Exception {
    sameRewards("full");
  }

  @Test
  void loraExportScoresAsDjl() throws Exception {
    sameRewards("lora");
  }

  @Test
  void bgeSmallFloatFineTunesAndExportsAsDjl() throws Exception {
    FineTunedModel bge = moved("top:2", EncoderSpec.builtIn("bge-small"));
    assertEquals(Pooling.MEAN, bge.encoder().pooling(), "a learning encoder is mean-pooled");
    assertTrue(
        bge.tensors().keySet().stream().anyMatch(k -> k.startsWith("encoder.layer.11."))
            && bge.tensors().keySet().stream().noneMatch(k -> k.startsWith("encoder.layer.9.")),
        "twelve layers, the top two trained: " + bge.tensors().keySet());
    sameRewards("bge-top:2", bge);
  }

  @Test
  void aChangedGraphIsRefused() throws Exception {
    FineTunedModel model = moved("top:1");
    Path out = dir.resolve("tampered");
    model.save(out);
    ((FineTunedModel) ModelStore.load(out)).exportOnnx(out);
    Path file = out.resolve(FineTunedModel.ONNX_FILE);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 5] ^= 1;
    Files.write(file, bytes);
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> ModelStore.load(out).open(runtime()));
    assertTrue(e.getMessage().contains("mismatch"), e.getMessage());
  }

  @Test
  void int8GraphTracksTheFloatOne() throws Exception {
    FineTunedModel model = moved("top:2");
    Path f32 = dir.resolve("f32");
    Path q8 = dir.resolve("int8");
    model.save(f32);
    model.save(q8);
    ((FineTunedModel) ModelStore.load(f32)).exportOnnx(f32);
    ((FineTunedModel) ModelStore.load(q8)).exportOnnx(q8, true);
    assertTrue(
        Files.size(q8.resolve(FineTunedModel.ONNX_FILE))
            < 0.75 * Files.size(f32.resolve(FineTunedModel.ONNX_FILE)),
        "int8 dense weights take a quarter of their float bytes (the embedding table stays float)");
    double[] a;
    double[] b;
    try (RewardScorer s = ModelStore.load(f32).open(runtime())) {
      a = s.rewards(inputs);
    }
    try (RewardScorer s = ModelStore.load(q8).open(runtime())) {
      b = s.rewards(inputs);
    }
    double pearson =
        new org.apache.commons.math3.stat.correlation.PearsonsCorrelation().correlation(a, b);
    System.out.printf("int8 vs float32 rewards: Pearson %.5f%n", pearson);
    assertTrue(pearson > 0.98, "int8 rewards follow float32's: " + pearson);
    boolean differ = false;
    for (int i = 0; i < a.length; i++) {
      differ |= a[i] != b[i];
    }
    assertTrue(differ, "the int8 graph is not the float one");
  }
}
