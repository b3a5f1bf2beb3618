package org.ser4j.model.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ser4j.encoder.TokenizedInput;

/**
 * The cause of issue 24's non-finite, run-to-run different fine-tuning gradients: a scalar operand
 * that autograd keeps for the backward pass must still be there when the backward pass runs, even
 * if the garbage collector has run in between and its memory has been handed out again. Without
 * {@code DjlBert.scalar} (DJL's {@code x.mul(0.5f)} frees the scalar's buffer at once) the second
 * gradient below is NaN.
 */
class BackwardAfterCollectionTest {
  @BeforeAll
  static void tokenize() throws Exception {
    FineTunerTest.tokenize();
  }

  @Test
  void gradientsDoNotDependOnWhatTheCollectorFreesBeforeTheBackwardPass() throws Exception {
    FineTuneConfig config = FineTunerTest.config("full");
    try (BertRewardNet net = BertRewardNet.pretrained(FineTunerTest.MODEL, 12, config)) {
      List<TokenizedInput> batch = FineTunerTest.pairs.all().subList(0, 4);
      Map<String, float[]> quiet = gradients(net, batch, false);
      Map<String, float[]> churned = gradients(net, batch, true);
      for (Map.Entry<String, float[]> e : quiet.entrySet()) {
        float[] g = churned.get(e.getKey());
        for (float v : g) {
          assertTrue(Float.isFinite(v), e.getKey() + ": non-finite gradient");
        }
        assertArrayEquals(e.getValue(), g, e.getKey());
      }
    }
  }

  /** One forward and backward pass; with {@code churn}, a collection and reuse of freed memory. */
  private static Map<String, float[]> gradients(
      BertRewardNet net, List<TokenizedInput> batch, boolean churn) throws InterruptedException {
    Map<String, NDArray> params = net.trainable();
    List<ByteBuffer> poison = new ArrayList<>();
    try (NDManager scope = net.bert().manager().newSubManager();
        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray loss = FineTuner.softplus(net.rewards(batch, scope)).sum();
      if (churn) {
        for (int round = 0; round < 3; round++) {
          System.gc();
          Thread.sleep(100); // the cleaner thread frees unreachable direct buffers
        }
        for (int i = 0; i < 100_000; i++) { // freed blocks handed out again, filled with NaN bits
          ByteBuffer b = ByteBuffer.allocateDirect(4);
          b.putInt(0, -1);
          poison.add(b);
        }
      }
      gc.backward(loss);
    }
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      try (NDArray g = e.getValue().getGradient()) {
        out.put(e.getKey(), g.toFloatArray());
        g.muli(0f);
      }
    }
    poison.clear();
    return out;
  }
}
