package org.ser4j.model.finetune;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.encoder.OnnxEncoder;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.encoder.SequenceTokenizer;
import org.ser4j.encoder.TokenizedInput;
import org.ser4j.model.RewardScorer;
import org.ser4j.util.Progress;

/**
 * A fine-tuned model scored through its exported graph ({@link OnnxExport}) by ONNX Runtime:
 * tokenized as the network was trained, batches sorted by length and padded to their longest.
 */
public final class OnnxRewardScorer implements RewardScorer {
  private final FineTunedModel model;
  private final OnnxEncoder graph;
  private final SequenceTokenizer tokenizer;
  private final int batchSize;
  private final Progress progress;

  public OnnxRewardScorer(FineTunedModel model, byte[] onnx, EncoderRuntime runtime)
      throws IOException {
    this.model = model;
    this.graph = new OnnxEncoder(onnx, "model.onnx", model.encoder().pooling(), runtime.threads());
    this.tokenizer =
        SequenceTokenizer.open(model.encoder().tokenizer(), model.encoder().maxLength());
    this.batchSize = runtime.batchSize();
    this.progress = runtime.progress();
  }

  @Override
  public FineTunedModel model() {
    return model;
  }

  @Override
  public synchronized double[] rewards(List<ResponseInput> inputs) {
    List<TokenizedInput> seqs = new ArrayList<>(inputs.size());
    for (ResponseInput in : inputs) {
      seqs.add(tokenizer.sequence(in, model.encoder().strategy()));
    }
    return score(seqs);
  }

  /** Rewards of tokenized sequences, in order. */
  public synchronized double[] score(List<TokenizedInput> seqs) {
    Integer[] order = new Integer[seqs.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingInt(i -> seqs.get(i).length()));
    double[] out = new double[seqs.size()];
    try (Progress.Task task = progress.start("score (ONNX)", seqs.size(), "sequences")) {
      for (int from = 0; from < order.length; from += batchSize) {
        int to = Math.min(order.length, from + batchSize);
        List<TokenizedInput> batch = new ArrayList<>(to - from);
        for (int k = from; k < to; k++) {
          batch.add(seqs.get(order[k]));
        }
        float[][] r = graph.embed(batch);
        for (int k = from; k < to; k++) {
          out[order[k]] = r[k - from][0];
        }
        task.step(to - from);
      }
    }
    return out;
  }

  @Override
  public String describe() {
    return model.describe() + ", ONNX Runtime";
  }

  @Override
  public void close() {
    tokenizer.close();
    graph.close();
  }
}
