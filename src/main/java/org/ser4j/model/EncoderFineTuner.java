package org.ser4j.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ser4j.encoder.DjlBert;
import org.ser4j.encoder.TokenizedInput;

/**
 * Fine-tunes the top layers of a {@link DjlBert} together with a linear reward head on the
 * Bradley-Terry loss: AdamW with separate learning rates for encoder and head, gradient clipping
 * by global norm. The first piece of the fine-tuning modes (issue 8); LoRA, schedules and the CLI
 * are still to come.
 */
public final class EncoderFineTuner {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPS = 1e-8f;

  private final DjlBert bert;
  private final Map<String, NDArray> params = new LinkedHashMap<>();
  private final Map<String, Float> lr = new LinkedHashMap<>();
  private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
  private final float weightDecay;
  private final float clipNorm;
  private int t;

  public EncoderFineTuner(DjlBert bert, int topLayers, float encoderLr, float headLr, float weightDecay, float clipNorm, long seed) {
    this.bert = bert;
    this.weightDecay = weightDecay;
    this.clipNorm = clipNorm;
    NDManager m = bert.manager();
    for (Map.Entry<String, NDArray> e : bert.trainTopLayers(topLayers).entrySet()) {
      params.put(e.getKey(), e.getValue());
      lr.put(e.getKey(), encoderLr);
    }
    Random random = new Random(seed);
    float[] w = new float[bert.hidden()];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (random.nextGaussian() * 0.02);
    }
    NDArray headW = m.create(w, new Shape(bert.hidden(), 1));
    NDArray headB = m.zeros(new Shape(1));
    headW.setRequiresGradient(true);
    headB.setRequiresGradient(true);
    params.put("head.weight", headW);
    params.put("head.bias", headB);
    lr.put("head.weight", headLr);
    lr.put("head.bias", headLr);
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      moments.put(e.getKey(), new NDArray[] {e.getValue().zerosLike(), e.getValue().zerosLike()});
    }
  }

  private NDArray rewards(List<TokenizedInput> batch, NDManager scope) {
    return bert.pooled(batch, scope).matMul(params.get("head.weight")).add(params.get("head.bias")).reshape(-1);
  }

  /** Mean Bradley-Terry loss of the pairs, without changing anything. */
  public double loss(List<TokenizedInput> chosen, List<TokenizedInput> rejected) {
    try (NDManager scope = bert.manager().newSubManager()) {
      NDArray margin = rewards(chosen, scope).sub(rewards(rejected, scope));
      return margin.neg().exp().add(1).log().mean().getFloat();
    }
  }

  /** One optimizer step on a batch of pairs; returns the batch's loss before the step. */
  public double step(List<TokenizedInput> chosen, List<TokenizedInput> rejected) {
    double value;
    try (NDManager scope = bert.manager().newSubManager();
        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray margin = rewards(chosen, scope).sub(rewards(rejected, scope));
      NDArray loss = margin.neg().exp().add(1).log().mean(); // -log sigmoid(margin)
      value = loss.getFloat();
      gc.backward(loss);
    }
    t++;
    // Temporaries of the update would live as long as the parameters' manager: an NDScope closes
    // them when the step ends (in-place updates of parameters and moments create nothing).
    try (NDScope temporaries = new NDScope()) {
      update();
    }
    return value;
  }

  private void update() {
    List<NDArray> grads = new ArrayList<>();
    double sq = 0;
    for (NDArray p : params.values()) {
      NDArray g = p.getGradient();
      NDScope.unregister(g); // the parameter's own gradient: closing it would free it under PyTorch
      grads.add(g);
      sq += g.square().sum().getFloat();
    }
    float scale = (float) Math.min(1.0, clipNorm / Math.sqrt(sq + 1e-12));
    float c1 = (float) (1 - Math.pow(BETA1, t));
    float c2 = (float) (1 - Math.pow(BETA2, t));
    int i = 0;
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray p = e.getValue();
      NDArray g = grads.get(i++).mul(scale);
      NDArray[] mv = moments.get(e.getKey());
      mv[0].muli(BETA1).addi(g.mul(1 - BETA1));
      mv[1].muli(BETA2).addi(g.square().mul(1 - BETA2));
      NDArray update = mv[0].div(c1).div(mv[1].div(c2).sqrt().add(EPS));
      if (!e.getKey().endsWith("bias") && !e.getKey().contains("LayerNorm")) {
        update = update.add(p.mul(weightDecay));
      }
      p.subi(update.mul(lr.get(e.getKey())));
      grads.get(i - 1).subi(grads.get(i - 1)); // zero for the next step
    }
  }
}
