package org.ser4j.model.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.data.split.SerDataset;
import org.ser4j.data.split.Splits;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.encoder.InputStrategy;
import org.ser4j.encoder.Pooling;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.PairRewards;
import org.ser4j.model.RewardScorer;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.testing.SharedData;
import org.ser4j.util.Progress;

/**
 * A fine-tuned SER loop scores its pool through the current weights exported to ONNX where every
 * layer learns (LoRA here), and those rewards are the trained network's (DJL, scored apart) within
 * 1e-4; with cached lower layers (top:K) DJL keeps scoring.
 */
public class FineTuneLearnerTest {
  private static final EncoderConfig MINILM =
      new EncoderConfig(
          "minilm-l6",
          "classpath:all-minilm-l6-v2.onnx",
          "classpath:all-minilm-l6-v2-tokenizer.json",
          Pooling.MEAN,
          64,
          InputStrategy.PAIR,
          null);

  private static RewardLearner learner(String mode) throws Exception {
    FineTuneConfig config =
        FineTuneConfig.defaults(FineTuneMode.parse(mode)).withEpochs(1).withSeed(5);
    return org.ser4j.ser.Learners.open(
        MINILM, null, config, 12, new EncoderRuntime(null, 2, 1, Progress.quiet()));
  }

  private static SerDataset data() {
    List<PreferencePair> all =
        PairReader.readAll(
                SharedData.require(SharedData.HH_RLHF), ReadOptions.defaults().withSkipBad(true))
            .pairs();
    Splits.SeedAndPool split = Splits.labeledSeed(all.subList(0, 40), 0.5, 3);
    return new SerDataset(split.labeled(), split.pool(), split.gold(), all.subList(40, 44), null);
  }

  @Test
  void loraPoolIsScoredThroughOnnxAsTheNetworkScoresIt() throws Exception {
    SerDataset data = data();
    try (RewardLearner lora = learner("lora")) {
      lora.load(data);
      assertTrue(((FineTuneLearner) lora).scoresThroughOnnx(), "LoRA changes every layer");
      TrainedModel model = lora.fitLabeled(data.labeled().size(), 0.2, 5).model();
      List<UnlabeledPair> pool = data.pool();
      PairRewards onnx = lora.poolRewards(model, pool);
      List<ResponseInput> inputs = new ArrayList<>();
      pool.forEach(p -> inputs.add(new ResponseInput(p.prompt(), p.first())));
      pool.forEach(p -> inputs.add(new ResponseInput(p.prompt(), p.second())));
      double[] djl;
      try (RewardScorer s = model.open(new EncoderRuntime(null, 2, 1, Progress.quiet()))) {
        assertTrue(s instanceof FineTunedScorer, "the model without model.onnx runs in DJL");
        djl = s.rewards(inputs);
      }
      double spread = 0;
      for (int i = 0; i < pool.size(); i++) {
        assertEquals(djl[i], onnx.chosen()[i], 1e-4, "first answer of pool pair " + i);
        assertEquals(djl[pool.size() + i], onnx.rejected()[i], 1e-4, "second answer " + i);
        spread = Math.max(spread, Math.abs(djl[i] - djl[0]));
      }
      assertTrue(spread > 1e-3, "rewards differ between answers, so equality means something");
    }
    try (RewardLearner top = learner("top:2")) {
      top.load(data);
      assertFalse(((FineTuneLearner) top).scoresThroughOnnx(), "top:2 scores on cached layers");
    }
  }

  /**
   * Acquisition on a fine-tuned RM: a pool pair's difference is taken on the network's pooled last
   * layer under the model's weights, so the head's weights times it give the model's own reward
   * margin; Fisher-information picks run on it, each pair at most once.
   */
  @Test
  void fineTunedPairsLieInTheHeadsInputSpace() throws Exception {
    SerDataset data = data();
    try (RewardLearner top = learner("top:2")) {
      top.load(data);
      TrainedModel model = top.fitLabeled(data.labeled().size(), 0.2, 5).model();
      List<UnlabeledPair> pool = data.pool();
      float[][] d = ((org.ser4j.model.learn.PairGeometry) top).poolDifferences(model, pool);
      float[] w = ((FineTunedModel) model).tensors().get(BertRewardNet.HEAD_WEIGHT).values();
      double[] margins = top.poolRewards(model, pool).margins();
      double spread = 0;
      for (int i = 0; i < pool.size(); i++) {
        double dot = 0;
        for (int k = 0; k < w.length; k++) {
          dot += (double) w[k] * d[i][k];
        }
        assertEquals(margins[i], dot, 1e-4, "pool pair " + i);
        spread = Math.max(spread, Math.abs(margins[i] - margins[0]));
      }
      assertTrue(spread > 1e-3, "margins differ between pairs, so equality means something");
      int[] held = java.util.stream.IntStream.range(0, data.labeled().size()).toArray();
      List<org.ser4j.ser.ask.Asker.Question> asked =
          org.ser4j.ser.ask.Asker.ask(
              top, model, pool, held, org.ser4j.ser.ask.Acquisition.of("fisher", 1), 5, 1);
      assertEquals(5, asked.size());
      assertEquals(
          5, asked.stream().map(q -> q.pair().key()).distinct().count(), "no pair asked twice");
    }
  }
}
