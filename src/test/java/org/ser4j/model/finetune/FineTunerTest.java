package org.ser4j.model.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.encoder.SequenceTokenizer;
import org.ser4j.encoder.TokenizedInput;
import org.ser4j.model.AdamW;
import org.ser4j.testing.SharedData;
import org.ser4j.util.Progress;

/**
 * A few fine-tuning steps on real HH-RLHF pairs learn: the training loss falls and the encoder's
 * weights move.
 */
class FineTunerTest {
  static final String MODEL = "classpath:all-minilm-l6-v2.onnx";
  static final String TOKENIZER = "classpath:all-minilm-l6-v2-tokenizer.json";
  static SequencePairs pairs;

  @BeforeAll
  static void tokenize() throws Exception {
    List<PreferencePair> all =
        PairReader.readAll(
                SharedData.require(SharedData.HH_RLHF), ReadOptions.defaults().withSkipBad(true))
            .pairs();
    List<TokenizedInput> c = new ArrayList<>();
    List<TokenizedInput> r = new ArrayList<>();
    try (SequenceTokenizer tok = SequenceTokenizer.open(TOKENIZER, 64)) {
      for (int i = 0; i < 32; i++) {
        PreferencePair p = all.get(i * 13);
        c.add(tok.pair(p.prompt().transcript(), p.chosen()));
        r.add(tok.pair(p.prompt().transcript(), p.rejected()));
      }
    }
    pairs = new SequencePairs(c, r);
  }

  static FineTuneConfig config(String mode) {
    // Memorise 32 pairs: a high learning rate, several passes; no probe, so the fall is
    // fine-tuning's.
    return FineTuneConfig.defaults(FineTuneMode.parse(mode))
        .withEncoderLr(1e-3)
        .withHeadLr(1e-2)
        .withEpochs(4)
        .withBatchSize(8)
        .withAccumulation(1)
        .withSeed(7)
        .withProbeHead(false);
  }

  private static void learns(String mode, String watched) throws Exception {
    FineTuneConfig config = config(mode);
    try (BertRewardNet net = BertRewardNet.pretrained(MODEL, 12, config)) {
      float[] before = net.bert().parameters().get(watched).toFloatArray();
      FineTuner tuner = new FineTuner(config, Progress.quiet());
      double lossBefore = tuner.evaluate(net, pairs).loss();
      FineTuner.Result result = tuner.train(net, pairs, new SequencePairs(List.of(), List.of()));
      double lossAfter = tuner.evaluate(net, pairs).loss();
      float[] after = net.bert().parameters().get(watched).toFloatArray();
      double moved = 0;
      for (int i = 0; i < before.length; i++) {
        moved = Math.max(moved, Math.abs(after[i] - before[i]));
      }
      System.out.printf(
          "%s: training loss %.4f -> %.4f over %d steps; %s moved by up to %.2e; history %s%n",
          mode, lossBefore, lossAfter, result.steps(), watched, moved, result.history());
      assertEquals(16, result.steps());
      assertTrue(lossAfter < lossBefore - 0.1, "loss " + lossBefore + " -> " + lossAfter);
      assertTrue(moved > 1e-4, watched + " did not change");
    }
  }

  @Test
  void lowerLayersAreComputedOnceAndReadFromDiskAfter(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path cache) throws Exception {
    FineTuneConfig config = config("top:2");
    org.ser4j.encoder.EncoderConfig enc =
        new org.ser4j.encoder.EncoderConfig(
            "minilm-l6",
            MODEL,
            TOKENIZER,
            org.ser4j.encoder.Pooling.MEAN,
            64,
            org.ser4j.encoder.InputStrategy.PAIR,
            "test-fp");
    List<TokenizedInput> texts = pairs.all();
    double[] computed;
    try (BertRewardNet net = BertRewardNet.pretrained(MODEL, 12, config)) {
      net.cacheLowerLayersUnder(cache, enc);
      computed = net.score(texts, true, Progress.quiet());
      assertEquals(texts.size(), net.diskCache().misses());
    }
    try (BertRewardNet net = BertRewardNet.pretrained(MODEL, 12, config)) {
      net.cacheLowerLayersUnder(cache, enc);
      double[] read = net.score(texts, true, Progress.quiet());
      assertEquals(
          texts.size(), net.diskCache().hits(), "every text's lower layers came from disk");
      assertEquals(0, net.diskCache().misses());
      assertArrayEquals(computed, read, "the stored states are the computed ones, bit for bit");
      double[] whole = net.score(texts, false, Progress.quiet());
      for (int i = 0; i < whole.length; i++) {
        assertEquals(whole[i], read[i], 1e-5, "the cached path scores as the whole network does");
      }
    }
  }

  @Test
  void topLayerLearns() throws Exception {
    learns("top:1", "encoder.layer.5.output.dense.weight");
  }

  @Test
  void loraAdaptersLearn() throws Exception {
    learns("lora", "encoder.layer.0.attention.self.query.lora_B");
  }

  @Test
  void probeStartsTheHeadWhereAFrozenEncoderWouldEnd() throws Exception {
    // Learning rates 0: only the linear probe changes anything.
    FineTuneConfig config =
        config("top:1").withEncoderLr(0).withHeadLr(0).withEpochs(1).withProbeHead(true);
    try (BertRewardNet net = BertRewardNet.pretrained(MODEL, 12, config)) {
      FineTuner tuner = new FineTuner(config, Progress.quiet());
      var before = tuner.evaluate(net, pairs);
      tuner.train(net, pairs, new SequencePairs(List.of(), List.of()));
      var after = tuner.evaluate(net, pairs);
      System.out.printf(
          "probe: training loss %.4f -> %.4f, accuracy %.3f -> %.3f%n",
          before.loss(), after.loss(), before.accuracy(), after.accuracy());
      assertTrue(after.loss() < before.loss() - 0.05, "probe lowers the loss");
      assertTrue(
          after.accuracy() >= 0.75,
          "a linear probe fits 32 pairs in 384 dimensions: " + after.accuracy());
    }
  }

  @Test
  void sameSeedSameWeights() throws Exception {
    FineTuneConfig config = config("top:1").withEpochs(1);
    float[][] runs = new float[2][];
    for (int run = 0; run < 2; run++) {
      try (BertRewardNet net = BertRewardNet.pretrained(MODEL, 12, config)) {
        new FineTuner(config, Progress.quiet())
            .train(net, pairs, new SequencePairs(List.of(), List.of()));
        runs[run] =
            net.trainedTensors().get("encoder.layer.5.attention.self.query.weight").values();
      }
    }
    assertArrayEquals(runs[0], runs[1]);
  }

  @Test
  void adamMatchesTheHeadOptimizer() {
    // AdamW on float tensors (moments at float precision) against AdamW on doubles, on the same
    // gradients.
    java.util.Random random = new java.util.Random(3);
    int n = 50;
    float[] w = new float[n];
    double[] wd = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) random.nextGaussian();
      wd[i] = w[i];
    }
    boolean[] decay = new boolean[n];
    java.util.Arrays.fill(decay, true);
    AdamW a = AdamW.forFloats(n, 0.01);
    AdamW b = AdamW.forDoubles(n, 0.01, decay);
    for (int step = 0; step < 20; step++) {
      float[] g = new float[n];
      double[] gd = new double[n];
      for (int i = 0; i < n; i++) {
        g[i] = (float) random.nextGaussian();
        gd[i] = g[i];
      }
      a.step(w, g, 1e-2, 1.0);
      b.step(wd, gd, 1e-2);
    }
    for (int i = 0; i < n; i++) {
      assertEquals(wd[i], w[i], 1e-4);
    }
  }
}
