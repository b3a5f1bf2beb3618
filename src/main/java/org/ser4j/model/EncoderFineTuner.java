package org.ser4j.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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

  /**
   * Mean -log sigmoid(margin), as softplus(-margin) = max(-margin, 0) + log(1 + exp(-|margin|)):
   * the naive log(1 + exp(-margin)) overflows for margins below about -88 and its gradient turns
   * into NaN (seen after ~100 steps at a head learning rate of 1e-2).
   */
  private static NDArray bradleyTerry(NDArray margin) {
    return margin.neg().maximum(0f).add(margin.abs().neg().exp().add(1).log()).mean();
  }

  /** Mean Bradley-Terry loss of the pairs, without changing anything. */
  public double loss(List<TokenizedInput> chosen, List<TokenizedInput> rejected) {
    try (NDManager scope = bert.manager().newSubManager()) {
      return bradleyTerry(rewards(chosen, scope).sub(rewards(rejected, scope))).getFloat();
    }
  }

  /** One optimizer step on a batch of pairs; returns the batch's loss before the step. */
  public double step(List<TokenizedInput> chosen, List<TokenizedInput> rejected) {
    double value;
    try (NDManager scope = bert.manager().newSubManager();
        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray loss = bradleyTerry(rewards(chosen, scope).sub(rewards(rejected, scope)));
      value = loss.getFloat();
      gc.backward(loss);
    }
    t++;
    update();
    return value;
  }

  /** AdamW on every trainable parameter; each temporary is closed here, since DJL would keep it as long as the parameter. */
  private void update() {
    List<NDArray> grads = new ArrayList<>();
    double sq = 0;
    for (NDArray p : params.values()) {
      NDArray g = p.getGradient();
      grads.add(g);
      try (NDArray g2 = g.square(); NDArray sum = g2.sum()) {
        sq += sum.getFloat();
      }
    }
    float scale = (float) Math.min(1.0, clipNorm / Math.sqrt(sq + 1e-12));
    float c1 = (float) (1 - Math.pow(BETA1, t));
    float c2 = (float) (1 - Math.pow(BETA2, t));
    int i = 0;
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray p = e.getValue();
      NDArray grad = grads.get(i++);
      NDArray[] mv = moments.get(e.getKey());
      try (NDArray g = grad.mul(scale);
          NDArray gm = g.mul(1 - BETA1);
          NDArray g2 = g.square();
          NDArray g2m = g2.mul(1 - BETA2)) {
        mv[0].muli(BETA1).addi(gm);
        mv[1].muli(BETA2).addi(g2m);
      }
      try (NDArray mHat = mv[0].div(c1);
          NDArray vHat = mv[1].div(c2);
          NDArray root = vHat.sqrt();
          NDArray denom = root.add(EPS);
          NDArray adam = mHat.div(denom);
          NDArray decay = p.mul(decays(e.getKey()) ? weightDecay : 0f);
          NDArray update = adam.add(decay);
          NDArray step = update.mul(lr.get(e.getKey()))) {
        p.subi(step);
      }
      grad.subi(grad); // zero for the next step
      grad.close(); // a handle to the parameter's gradient: closing the handle keeps the gradient
    }
  }

  private static boolean decays(String name) {
    return !name.endsWith("bias") && !name.contains("LayerNorm");
  }

}
