package org.ser4j.model.head;

import java.util.Random;
import org.ser4j.data.split.SeedSplit;
import org.ser4j.model.AdamW;
import org.ser4j.model.EpochLoop;
import org.ser4j.model.Loss;
import org.ser4j.model.PairRewards;
import org.ser4j.util.Permutations;
import org.ser4j.util.Progress;

/**
 * Trains a reward head on pair features with mini-batch AdamW, epoch by epoch through the one
 * {@link EpochLoop} (which epoch is kept, when to stop). Single-threaded and seeded: the same
 * inputs and config give bit-identical weights.
 */
public final class RewardTrainer {
  private final TrainConfig config;
  private final Progress progress;
  private final double[] weights; // per training pair, null = all 1
  private final StyleInputs styles; // null: no style head

  public RewardTrainer(TrainConfig config, Progress progress) {
    this(config, progress, null, null);
  }

  private RewardTrainer(
      TrainConfig config, Progress progress, double[] weights, StyleInputs styles) {
    this.config = config;
    this.progress = progress;
    this.weights = weights;
    this.styles = styles;
  }

  /**
   * This trainer with training pair i's loss weighted by {@code weights[i]} (for example
   * self-labeled pairs below human ones); the reported training loss is the weighted mean.
   */
  public RewardTrainer weighing(double[] pairWeights) {
    return new RewardTrainer(config, progress, pairWeights, styles);
  }

  /**
   * This trainer with a style head beside the (linear) reward head, the head kept uncorrelated with
   * the styles ({@link StyleTerm}); the styles' rows follow the training and validation pairs given
   * to {@link #train(PairFeatures, PairFeatures)} or its warm-start form.
   */
  public RewardTrainer disentangling(StyleInputs styleInputs) {
    return new RewardTrainer(config, progress, weights, styleInputs);
  }

  public TrainConfig config() {
    return config;
  }

  /** Trains from scratch: the normalizer is fit on {@code pairs}. */
  public TrainedHead train(PairFeatures pairs) {
    FeatureNormalizer normalizer = FeatureNormalizer.fit(pairs.chosen(), pairs.rejected());
    return train(pairs, newHead(pairs.chosen()[0].length), normalizer);
  }

  /**
   * Continues from {@code start} (a warm start), keeping its normalizer; a seeded {@code
   * validationFraction} of {@code pairs} is held out for early stopping. {@code start} is not
   * modified.
   */
  public TrainedHead train(PairFeatures pairs, RewardHead start, FeatureNormalizer normalizer) {
    if (styles != null) {
      throw new IllegalStateException("a style head needs its validation pairs given");
    }
    SeedSplit split =
        SeedSplit.forTraining(pairs.size(), config.validationFraction(), config.seed());
    return train(pairs.select(split.train()), pairs.select(split.validation()), start, normalizer);
  }

  /**
   * A fresh head trained on {@code train}, early-stopped on the given {@code validation} pairs (may
   * be empty).
   */
  public TrainedHead train(PairFeatures train, PairFeatures validation) {
    FeatureNormalizer normalizer = FeatureNormalizer.fit(train.chosen(), train.rejected());
    return train(train, validation, newHead(train.chosen()[0].length), normalizer);
  }

  private RewardHead newHead(int d) {
    return config.head() == HeadType.MLP
        ? new MlpHead(d, config.hidden(), config.seed())
        : new LinearHead(d);
  }

  /**
   * The core loop: {@code start} is copied, trained on {@code trainRaw}, early-stopped on {@code
   * validationRaw}.
   */
  public TrainedHead train(
      PairFeatures trainRaw,
      PairFeatures validationRaw,
      RewardHead start,
      FeatureNormalizer normalizer) {
    if (trainRaw.size() == 0) {
      throw new IllegalArgumentException("no training pairs");
    }
    if (weights != null && weights.length != trainRaw.size()) {
      throw new IllegalArgumentException(
          weights.length + " weights for " + trainRaw.size() + " training pairs");
    }
    double weightSum = weights == null ? trainRaw.size() : java.util.Arrays.stream(weights).sum();
    Random random = new Random(config.seed() * 31 + 17);
    int nVal = validationRaw.size();
    // Standardized once: every epoch reads them.
    PairFeatures val = normalize(validationRaw, normalizer);
    PairFeatures train = normalize(trainRaw, normalizer);

    RewardHead head = start.copy();
    double[] params = head.parameters();
    int d = head.inputDimension();
    StyleTerm style = styles == null ? null : StyleTerm.of(styles, train);
    if (style != null) {
      if (!(head instanceof LinearHead)) {
        throw new IllegalArgumentException("--debias needs the linear head");
      }
      style.project(params, d); // a warm start from an unconstrained head
    }
    double[][] bestBeta = {style == null ? null : style.beta()};
    AdamW adam = AdamW.forDoubles(params.length, config.weightDecay(), head.decayMask());
    double[] grad = new double[params.length];
    RewardHead[] best = {head.copy()};
    int[] idx = new int[train.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    double[] chosenScores = new double[config.batchSize()];
    double[] rejectedScores = new double[config.batchSize()];
    EpochLoop.Trainee trainee =
        new EpochLoop.Trainee() {
          @Override
          public double trainEpoch(int epoch) {
            Permutations.shuffle(idx, random);
            double lossSum = 0;
            for (int startRow = 0; startRow < idx.length; startRow += config.batchSize()) {
              int end = Math.min(idx.length, startRow + config.batchSize());
              java.util.Arrays.fill(grad, 0);
              // The batch's rewards first (the parameters change only after the batch).
              head.scoreRows(train.chosen(), idx, startRow, end, chosenScores);
              head.scoreRows(train.rejected(), idx, startRow, end, rejectedScores);
              if (style != null) {
                style.clearGradient();
                for (int k = startRow; k < end; k++) {
                  chosenScores[k - startRow] += style.train(idx[k], true);
                  rejectedScores[k - startRow] += style.train(idx[k], false);
                }
              }
              for (int k = startRow; k < end; k++) {
                float[] c = train.chosen()[idx[k]];
                float[] r = train.rejected()[idx[k]];
                Loss.PairLoss l =
                    config.loss().of(chosenScores[k - startRow], rejectedScores[k - startRow]);
                double w = weights == null ? 1.0 : weights[idx[k]];
                lossSum += w * l.loss();
                double scale = w / (end - startRow);
                head.backward(c, l.dChosen() * scale, grad);
                head.backward(r, l.dRejected() * scale, grad);
                if (style != null) {
                  style.backward(idx[k], l.dChosen() * scale, l.dRejected() * scale);
                }
              }
              adam.step(params, grad, config.learningRate());
              if (style != null) {
                style.step(config.learningRate());
                style.project(params, d);
              }
            }
            return lossSum / weightSum;
          }

          @Override
          public Loss.Evaluation validate() {
            return evaluate(head, val, style);
          }

          @Override
          public void keepBest() {
            best[0] = head.copy();
            if (style != null) {
              bestBeta[0] = style.beta();
            }
          }
        };
    try (Progress.Task task = progress.start("train head", config.maxEpochs(), "epochs")) {
      EpochLoop.Result r =
          EpochLoop.run(
              config.maxEpochs(),
              config.patience(),
              nVal > 0,
              train.size(),
              trainee,
              EpochLoop.reporting(task));
      StyleFit styleFit = null;
      if (style != null) {
        double[] qc = new double[train.size()];
        double[] qr = new double[train.size()];
        best[0].scoreRows(train.chosen(), null, 0, train.size(), qc);
        best[0].scoreRows(train.rejected(), null, 0, train.size(), qr);
        styleFit = style.fit(bestBeta[0], qc, qr);
      }
      return new TrainedHead(best[0], normalizer, r.history(), r.bestEpoch(), nVal, styleFit);
    }
  }

  /** Mean loss and accuracy of {@code head} on standardized pairs. */
  Loss.Evaluation evaluate(RewardHead head, PairFeatures pairs) {
    return evaluate(head, pairs, null);
  }

  /** As above, the style head's reward of the validation pairs added (a null style: none). */
  private Loss.Evaluation evaluate(RewardHead head, PairFeatures pairs, StyleTerm style) {
    double[] c = new double[pairs.size()];
    double[] r = new double[pairs.size()];
    head.scoreRows(pairs.chosen(), null, 0, pairs.size(), c);
    head.scoreRows(pairs.rejected(), null, 0, pairs.size(), r);
    for (int i = 0; style != null && i < c.length; i++) {
      c[i] += style.validation(i, true);
      r[i] += style.validation(i, false);
    }
    return config.loss().evaluate(new PairRewards(c, r));
  }

  private static PairFeatures normalize(PairFeatures pairs, FeatureNormalizer n) {
    return new PairFeatures(n.apply(pairs.chosen()), n.apply(pairs.rejected()));
  }
}
