package org.ser4j.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ser4j.data.PairReader;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.ReadOptions;
import org.ser4j.encoder.DjlBert;
import org.ser4j.encoder.EncoderSpec;
import org.ser4j.encoder.TokenizedInput;
import org.ser4j.testing.SharedData;

/** A few fine-tuning steps on real HH-RLHF pairs lower the loss and change the encoder's weights. */
class EncoderFineTunerTest {
  @Test
  void fewStepsOnRealPairsLowerTheLossAndMoveTheTopLayer() throws Exception {
    List<PreferencePair> pairs = PairReader.readAll(SharedData.require(SharedData.HH_RLHF), ReadOptions.defaults().withSkipBad(true)).pairs().subList(0, 16);
    List<TokenizedInput> chosen = new ArrayList<>();
    List<TokenizedInput> rejected = new ArrayList<>();
    try (var tok = org.ser4j.encoder.SequenceTokenizer.open("classpath:all-minilm-l6-v2-tokenizer.json", 64);
        DjlBert bert = DjlBert.fromOnnx("classpath:all-minilm-l6-v2.onnx", 12)) {
      for (PreferencePair p : pairs) {
        chosen.add(tok.pair(p.prompt().transcript(), p.chosen()));
        rejected.add(tok.pair(p.prompt().transcript(), p.rejected()));
      }
      String watched = "encoder.layer.5.attention.self.query.weight";
      float[] before = bert.parameter(watched);
      float[] frozenBefore = bert.parameter("encoder.layer.0.attention.self.query.weight");
      EncoderFineTuner tuner = new EncoderFineTuner(bert, 1, 2e-4f, 1e-2f, 0.01f, 1.0f, 7);
      double first = tuner.loss(chosen, rejected);
      for (int s = 0; s < 8; s++) {
        tuner.step(chosen, rejected);
      }
      double last = tuner.loss(chosen, rejected);
      System.out.printf("fine-tuning top:1 on 16 HH pairs: loss %.4f -> %.4f after 8 steps%n", first, last);
      assertTrue(last < first - 0.05, "training loss falls: " + first + " -> " + last);
      assertFalse(Arrays.equals(before, bert.parameter(watched)), "the top layer learned");
      assertTrue(Arrays.equals(frozenBefore, bert.parameter("encoder.layer.0.attention.self.query.weight")), "lower layers stay frozen");
    }
  }
}
