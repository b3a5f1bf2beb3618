package org.ser4j.model.finetune;

import java.io.IOException;
import java.util.List;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.RewardScorer;

/**
 * A fine-tuned model scored through its exported graph ({@link OnnxExport}) by ONNX Runtime. The
 * graph is an encoder whose one feature is the reward, so the frozen models' {@link Featurizer}
 * runs it: tokenized as the network was trained, one single-threaded sequence per core, rewards
 * cached by content under the graph's fingerprint (a changed file is refused).
 */
public final class OnnxRewardScorer implements RewardScorer {
  private final FineTunedModel model;
  private final Featurizer graph;

  public OnnxRewardScorer(FineTunedModel model, EncoderRuntime runtime) throws IOException {
    this.model = model;
    EncoderConfig e = model.encoder();
    this.graph =
        runtime.open(
            e.withName(e.name() + "-reward-graph")
                .withModel(model.onnx().path().toString())
                .withFingerprint(model.onnx().sha256().substring(0, 12)));
  }

  @Override
  public FineTunedModel model() {
    return model;
  }

  @Override
  public double[] rewards(List<ResponseInput> inputs) throws IOException {
    return rewards(graph.features(inputs));
  }

  /** The rewards in an exported graph's output, which has one value per sequence. */
  public static double[] rewards(float[][] graphOutput) {
    double[] out = new double[graphOutput.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = graphOutput[i][0];
    }
    return out;
  }

  @Override
  public String describe() {
    return model.describe() + ", ONNX Runtime";
  }

  @Override
  public void close() {
    graph.close();
  }
}
