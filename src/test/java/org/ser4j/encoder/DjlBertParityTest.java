package org.ser4j.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.testing.SharedData;

/** The DJL/PyTorch BERT with weights read from the ONNX file reproduces ONNX Runtime's vectors. */
class DjlBertParityTest {
  private static final String MODEL = "classpath:all-minilm-l6-v2.onnx";
  private static final String TOKENIZER = "classpath:all-minilm-l6-v2-tokenizer.json";

  @Test
  void everyDenseWeightIsNamedAfterItsBias() throws Exception {
    Map<String, OnnxWeights.Tensor> w = OnnxWeights.read(EncoderSpec.readAll(MODEL));
    for (int l = 0; l < 6; l++) {
      for (String dense :
          new String[] {
            "attention.self.query",
            "attention.self.key",
            "attention.self.value",
            "attention.output.dense",
            "intermediate.dense",
            "output.dense"
          }) {
        String name = "encoder.layer." + l + "." + dense + ".weight";
        assertTrue(w.containsKey(name), "missing " + name);
        long out = w.get("encoder.layer." + l + "." + dense + ".bias").shape()[0];
        assertEquals(out, w.get(name).shape()[1], name + " is laid out [in, out]");
      }
    }
    assertEquals(384, w.get("embeddings.word_embeddings.weight").shape()[1]);
  }

  @Test
  void reproducesOnnxRuntimeOnRealTexts() throws Exception {
    List<PreferencePair> pairs =
        PairReader.readAll(
                SharedData.require(SharedData.HH_RLHF), ReadOptions.defaults().withSkipBad(true))
            .pairs();
    EncoderSpec spec = new EncoderSpec("minilm-l6", MODEL, TOKENIZER, Pooling.MEAN);
    try (SequenceTokenizer tok = new SequenceTokenizer(TOKENIZER, 128);
        OnnxEncoder ort = new OnnxEncoder(spec, 2);
        DjlBert bert = DjlBert.fromOnnx(MODEL, 12)) {
      assertEquals(6, bert.layers());
      List<TokenizedInput> batch = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        PreferencePair p = pairs.get(i * 37);
        batch.add(
            i % 2 == 0 ? tok.pair(p.prompt().transcript(), p.chosen()) : tok.single(p.rejected()));
      }
      float[][] expected = ort.embed(batch);
      float[][] actual = bert.embed(batch);
      double worst = 0;
      for (int i = 0; i < batch.size(); i++) {
        for (int d = 0; d < expected[i].length; d++) {
          worst = Math.max(worst, Math.abs(expected[i][d] - actual[i][d]));
        }
      }
      System.out.printf(
          "DJL BERT vs ONNX Runtime: max |difference| %.2e over %d texts%n", worst, batch.size());
      assertTrue(worst < 1e-4, "max absolute difference " + worst);
    }
  }
}
