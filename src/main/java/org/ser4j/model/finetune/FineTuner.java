package org.ser4j.model.finetune;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.ser4j.encoder.DjlBert;
import org.ser4j.encoder.TokenizedInput;
import org.ser4j.model.AdamW;
import org.ser4j.model.Epoch;
import org.ser4j.model.EpochLoop;
import org.ser4j.model.Loss;
import org.ser4j.model.PairRewards;
import org.ser4j.model.Tensor;
import org.ser4j.model.head.PairFeatures;
import org.ser4j.model.head.RewardTrainer;
import org.ser4j.model.head.TrainConfig;
import org.ser4j.model.head.TrainedHead;
import org.ser4j.util.Permutations;
import org.ser4j.util.Progress;

/**
 * Trains a {@link BertRewardNet} on preference pairs: the weights its {@link FineTuneMode} chooses,
 * with the pairwise (Bradley-Terry) and/or pointwise loss, AdamW with one learning rate for the
 * encoder and one for the head, linear warm-up then linear decay, gradient accumulation, clipping
 * by global norm, epoch by epoch through the one {@link EpochLoop} (which epoch is kept, when to
 * stop). Gradients come from PyTorch autograd; the optimizer runs in Java on float copies of the
 * weights ({@link AdamW}), so a fixed seed gives the same weights run to run on the same machine
 * and thread count.
 */
public final class FineTuner {
  private final FineTuneConfig config;
  private final Progress progress;

  public FineTuner(FineTuneConfig config, Progress progress) {
    this.config = config;
    this.progress = progress;
  }

  /**
   * What training did: every epoch, the one whose weights were kept, and the optimizer steps taken.
   */
  public record Result(List<Epoch> history, int bestEpoch, int validationPairs, int steps) {
    public Epoch best() {
      return history.get(bestEpoch - 1);
    }
  }

  public Result train(BertRewardNet net, SequencePairs train, SequencePairs validation) {
    if (train.size() == 0) {
      throw new IllegalArgumentException("no training pairs");
    }
    Engine.getEngine("PyTorch").setRandomSeed((int) config.seed()); // LoRA dropout masks
    List<TokenizedInput> every = train.all();
    every.addAll(validation.all());
    net.prepare(every, progress);

    if (config.probeHead()) {
      probeHead(net, train, validation);
    }
    Map<String, NDArray> params = net.trainable();
    // Backward adds into a weight's gradient buffer, which a network trained before still holds:
    // every training starts from zero.
    for (NDArray p : params.values()) {
      try (NDArray g = p.getGradient()) {
        g.set(new NDIndex("..."), 0f);
      }
    }
    Map<String, float[]> weights = new LinkedHashMap<>();
    Map<String, AdamW> optimizers = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      weights.put(e.getKey(), e.getValue().toFloatArray());
      optimizers.put(
          e.getKey(),
          AdamW.forFloats(
              (int) e.getValue().getShape().size(), decays(e.getKey()) ? config.weightDecay() : 0));
    }
    int n = train.size();
    int batches = (n + config.batchSize() - 1) / config.batchSize();
    int stepsPerEpoch = (batches + config.accumulation() - 1) / config.accumulation();
    int totalSteps = stepsPerEpoch * config.epochs();

    List<Map<String, float[]>> best = new ArrayList<>(List.of(copy(weights)));
    int[] step = {0};
    EpochLoop.Trainee trainee =
        new EpochLoop.Trainee() {
          @Override
          public double trainEpoch(int epoch) {
            int[] order = Permutations.of(n, new Random(config.seed() * 1_000_003L + epoch));
            double lossSum = 0;
            int micro = 0;
            net.bert().setTraining(true);
            try (Progress.Task task =
                progress.start(
                    String.format(
                        Locale.ROOT,
                        "fine-tune %s epoch %d/%d",
                        config.mode(),
                        epoch,
                        config.epochs()),
                    2L * n,
                    "seqs")) {
              for (int start = 0; start < n; start += config.batchSize()) {
                SequencePairs batch =
                    train.select(
                        java.util.Arrays.copyOfRange(
                            order, start, Math.min(n, start + config.batchSize())));
                lossSum += backward(net, batch) * batch.size();
                micro++;
                if (micro == config.accumulation() || start + config.batchSize() >= n) {
                  step[0]++;
                  update(
                      params, weights, optimizers, config.schedule(step[0], totalSteps), step[0]);
                  micro = 0;
                }
                task.step(2L * batch.size());
              }
            } finally {
              net.bert().setTraining(false);
            }
            return lossSum / n;
          }

          @Override
          public Loss.Evaluation validate() {
            return evaluate(net, validation);
          }

          @Override
          public void keepBest() {
            best.set(0, copy(weights));
          }
        };
    EpochLoop.Result r =
        EpochLoop.run(
            config.epochs(), config.patience(), validation.size() > 0, 2L * n, trainee, e -> {});
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      BertRewardNet.copyInto(e.getValue(), best.get(0).get(e.getKey()), e.getKey());
    }
    return new Result(r.history(), r.bestEpoch(), validation.size(), step[0]);
  }

  /**
   * LP-FT: fits a linear head on the pooled vectors of the network as it is (the frozen-encoder
   * reward model, {@link RewardTrainer} with its defaults) and starts from it. The head learns on
   * z-scored vectors; its weights are folded back to raw vectors: w_raw = w / std, b_raw = b -
   * sum(w * mean / std).
   */
  private void probeHead(BertRewardNet net, SequencePairs train, SequencePairs validation) {
    PairFeatures t = new PairFeatures(net.pooled(train.chosen()), net.pooled(train.rejected()));
    PairFeatures v =
        new PairFeatures(net.pooled(validation.chosen()), net.pooled(validation.rejected()));
    TrainConfig probe = TrainConfig.defaults().withLoss(config.loss()).withSeed(config.seed());
    TrainedHead fitted = new RewardTrainer(probe, Progress.quiet()).train(t, v);
    Map<String, Tensor> tensors = fitted.head().tensors();
    float[] w = tensors.get("linear.weight").values();
    double b = tensors.get("linear.bias").values()[0];
    float[] mean = fitted.normalizer().mean();
    float[] std = fitted.normalizer().std();
    float[] raw = new float[w.length];
    for (int d = 0; d < w.length; d++) {
      raw[d] = w[d] / std[d];
      b -= (double) w[d] * mean[d] / std[d];
    }
    net.setHead(raw, (float) b);
  }

  /**
   * Forward and backward on one batch; gradients add up in the weights until {@link #update}.
   * Returns the batch's mean loss.
   */
  private double backward(BertRewardNet net, SequencePairs batch) {
    int b = batch.size();
    try (NDManager scope = net.bert().manager().newSubManager();
        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      // Chosen and rejected in one forward pass: one batch of 2b sequences.
      NDArray r = net.rewards(batch.all(), scope);
      NDArray loss = loss(r.get(new NDIndex("0:" + b)), r.get(new NDIndex(b + ":")));
      double value = loss.getFloat();
      if (!Double.isFinite(value)) {
        throw new IllegalStateException(
            "fine-tuning diverged: loss " + value + "; lower --encoder-lr / --finetune-head-lr");
      }
      gc.backward(loss.div(DjlBert.scalar(loss, config.accumulation())));
      return value;
    }
  }

  /**
   * The configured loss, mean over the batch; -log sigmoid(z) written as softplus(-z) so it cannot
   * overflow.
   */
  private NDArray loss(NDArray chosen, NDArray rejected) {
    NDArray total = null;
    if (config.loss() != Loss.POINTWISE) {
      total = softplus(rejected.sub(chosen));
    }
    if (config.loss() != Loss.PAIRWISE) {
      NDArray pointwise = softplus(chosen.neg()).add(softplus(rejected));
      total = total == null ? pointwise : total.add(pointwise);
    }
    return total.mean();
  }

  /** log(1 + e^x) = max(x, 0) + log(1 + e^-|x|). */
  static NDArray softplus(NDArray x) {
    return x.maximum(DjlBert.scalar(x, 0f)).add(x.abs().neg().exp().add(1f).log());
  }

  /**
   * One optimizer step from the accumulated gradients, which are then zeroed. A non-finite gradient
   * stops training: the network diverged (a freed scalar operand read by the backward pass caused
   * such gradients once and was fixed at its cause, {@code DjlBert.scalar}; steps are not skipped).
   */
  private void update(
      Map<String, NDArray> params,
      Map<String, float[]> weights,
      Map<String, AdamW> optimizers,
      double schedule,
      int step) {
    Map<String, float[]> grads = new LinkedHashMap<>();
    double sq = 0;
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      try (NDArray g = e.getValue().getGradient()) {
        float[] values = g.toFloatArray();
        double part = 0;
        for (float v : values) {
          part += (double) v * v;
        }
        if (!Double.isFinite(part)) {
          throw new IllegalStateException(
              "fine-tuning diverged: non-finite gradient in "
                  + e.getKey()
                  + " at step "
                  + step
                  + "; lower --encoder-lr / --finetune-head-lr");
        }
        g.muli(0f); // zero the accumulated gradient for the next step
        sq += part;
        grads.put(e.getKey(), values);
      }
    }
    double norm = Math.sqrt(sq);
    double scale =
        config.clipNorm() > 0 && norm > config.clipNorm() ? config.clipNorm() / norm : 1.0;
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      String name = e.getKey();
      double lr = (isHead(name) ? config.headLr() : config.encoderLr()) * schedule;
      float[] w = weights.get(name);
      optimizers.get(name).step(w, grads.get(name), lr, scale);
      BertRewardNet.copyInto(e.getValue(), w, name);
    }
  }

  /** Mean loss and accuracy of the pairs under the current weights (no dropout, no gradients). */
  Loss.Evaluation evaluate(BertRewardNet net, SequencePairs pairs) {
    if (pairs.size() == 0) {
      return Loss.Evaluation.NONE;
    }
    return config
        .loss()
        .evaluate(PairRewards.ofConcatenated(net.score(pairs.all(), true, Progress.quiet())));
  }

  private static boolean isHead(String name) {
    return name.startsWith("head.");
  }

  private static boolean decays(String name) {
    return !name.endsWith(".bias") && !name.contains("LayerNorm");
  }

  private static Map<String, float[]> copy(Map<String, float[]> weights) {
    Map<String, float[]> out = new LinkedHashMap<>();
    weights.forEach((k, v) -> out.put(k, v.clone()));
    return out;
  }
}
