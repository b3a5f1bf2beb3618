package org.ser4j.model.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.junit.jupiter.api.Test;
import org.ser4j.data.Style;
import org.ser4j.model.Provenance;
import org.ser4j.util.Progress;

/**
 * The style head on synthetic answers whose length direction is known: feature 0 carries the
 * answer's quality, feature 1 its length, feature 2 both, the rest noise; labelers prefer quality
 * and, as a judge that likes long answers, length. The plain head learns length with quality; the
 * debiased quality head must be uncorrelated with length and still rank quality.
 */
class DisentangledTrainingTest {
  private static final int D = 12;

  /** Answers: features, true quality, length in thousands of characters. */
  record Answers(float[][] x, double[] quality, double[] length) {}

  static Answers answers(int n, long seed) {
    Random r = new Random(seed);
    float[][] x = new float[n][D];
    double[] q = new double[n];
    double[] len = new double[n];
    for (int i = 0; i < n; i++) {
      q[i] = r.nextGaussian();
      double z = r.nextGaussian();
      len[i] = 1.5 + 0.5 * z;
      x[i][0] = (float) (q[i] + 0.3 * r.nextGaussian());
      x[i][1] = (float) (z + 0.3 * r.nextGaussian());
      x[i][2] = (float) (q[i] + z + 0.3 * r.nextGaussian());
      for (int j = 3; j < D; j++) {
        x[i][j] = (float) r.nextGaussian();
      }
    }
    return new Answers(x, q, len);
  }

  /** Pairs of answers 2k and 2k+1, labeled by quality + 1.5 * standardized length, BT noise. */
  record Labeled(PairFeatures pairs, double[][] styleChosen, double[][] styleRejected) {}

  static Labeled label(Answers a, long seed) {
    Random r = new Random(seed);
    int n = a.x().length / 2;
    float[][] c = new float[n][];
    float[][] rej = new float[n][];
    double[][] sc = new double[n][1];
    double[][] sr = new double[n][1];
    for (int k = 0; k < n; k++) {
      int i = 2 * k;
      int j = i + 1;
      double ui = a.quality()[i] + 1.5 * (a.length()[i] - 1.5) / 0.5;
      double uj = a.quality()[j] + 1.5 * (a.length()[j] - 1.5) / 0.5;
      boolean iWins = r.nextDouble() < 1 / (1 + Math.exp(-(ui - uj)));
      int w = iWins ? i : j;
      int l = iWins ? j : i;
      c[k] = a.x()[w];
      rej[k] = a.x()[l];
      sc[k][0] = a.length()[w];
      sr[k][0] = a.length()[l];
    }
    return new Labeled(new PairFeatures(c, rej), sc, sr);
  }

  private static TrainConfig config() {
    return TrainConfig.defaults().withLearningRate(1e-2).withMaxEpochs(200).withPatience(20);
  }

  private static TrainedHead train(Labeled t, Labeled v, boolean debias) {
    RewardTrainer trainer = new RewardTrainer(config(), Progress.quiet());
    if (debias) {
      trainer = trainer.disentangling(lengthOf(t, v));
    }
    return trainer.train(t.pairs(), v.pairs());
  }

  private static StyleInputs lengthOf(Labeled t, Labeled v) {
    return new StyleInputs(
        List.of(Style.LENGTH),
        t.styleChosen(),
        t.styleRejected(),
        v.styleChosen(),
        v.styleRejected());
  }

  private static double[] rewards(TrainedHead h, float[][] x) {
    return new HeadModel(null, h.normalizer(), h.head(), Provenance.UNKNOWN).score(x);
  }

  private static double[] concat(double[][] a, double[][] b) {
    double[] out = new double[a.length + b.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i][0];
      out[a.length + i] = b[i][0];
    }
    return out;
  }

  private static float[][] concat(float[][] a, float[][] b) {
    float[][] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void theQualityHeadIsUncorrelatedWithLengthAndStillRanksQuality() {
    Labeled train = label(answers(3000, 1), 2);
    Labeled val = label(answers(600, 3), 4);
    TrainedHead plain = train(train, val, false);
    TrainedHead debiased = train(train, val, true);
    PearsonsCorrelation pearson = new PearsonsCorrelation();
    SpearmansCorrelation spearman = new SpearmansCorrelation();

    // On the training answers the constraint holds exactly (to float rounding of the features).
    double[] trainLength = concat(train.styleChosen(), train.styleRejected());
    float[][] trainX = concat(train.pairs().chosen(), train.pairs().rejected());
    double onTrain = pearson.correlation(rewards(debiased, trainX), trainLength);
    assertEquals(0, onTrain, 1e-4, "quality head vs length on the training answers");

    // On fresh answers: length is gone from the quality head, not from the plain one.
    Answers fresh = answers(4000, 5);
    double[] rPlain = rewards(plain, fresh.x());
    double[] rQ = rewards(debiased, fresh.x());
    double plainLength = pearson.correlation(rPlain, fresh.length());
    double qLength = pearson.correlation(rQ, fresh.length());
    assertTrue(
        plainLength > 0.5, "the plain head learns the judge's taste for length: " + plainLength);
    assertTrue(Math.abs(qLength) < 0.05, "quality head vs length on fresh answers: " + qLength);
    // ...and it ranks the true quality, better than the plain head does.
    double qQuality = spearman.correlation(rQ, fresh.quality());
    double plainQuality = spearman.correlation(rPlain, fresh.quality());
    assertTrue(qQuality > 0.85, "quality head vs true quality: " + qQuality);
    assertTrue(qQuality > plainQuality + 0.1, qQuality + " vs plain " + plainQuality);

    // The style head explains length: a positive coefficient, a share of the reward in (0, 1).
    StyleFit style = debiased.style();
    assertEquals(List.of(Style.LENGTH), style.styles());
    assertTrue(style.coefficients()[0] > 0.5, "length coefficient " + style.coefficients()[0]);
    assertTrue(style.styleShare() > 0.2 && style.styleShare() < 0.9, "share " + style.styleShare());
    assertEquals(2, style.constraints(), "across answers and within pairs");
    assertEquals(style.coefficients()[0] / style.std()[0], style.perUnit()[0], 1e-12);
  }

  @Test
  void seededTrainingIsReproducibleAndNeedsTheLinearHead() {
    Labeled train = label(answers(800, 7), 8);
    Labeled val = label(answers(200, 9), 10);
    TrainedHead a = train(train, val, true);
    TrainedHead b = train(train, val, true);
    assertArrayEquals(a.head().parameters(), b.head().parameters());
    assertArrayEquals(a.style().coefficients(), b.style().coefficients());
    RewardTrainer mlp =
        new RewardTrainer(config().withHead(HeadType.MLP).withHidden(8), Progress.quiet())
            .disentangling(lengthOf(train, val));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> mlp.train(train.pairs(), val.pairs()));
    assertTrue(e.getMessage().contains("linear"), e.getMessage());
    // The settings themselves refuse what the style term is not built for (CLI and Java API alike).
    java.util.List<org.ser4j.data.Style> length = java.util.List.of(org.ser4j.data.Style.LENGTH);
    IllegalArgumentException onMlp =
        assertThrows(
            IllegalArgumentException.class,
            () -> config().withHead(HeadType.MLP).withDebias(length));
    assertTrue(onMlp.getMessage().contains("--debias needs --head linear"), onMlp.getMessage());
    IllegalArgumentException onViews =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                config()
                    .withCoTraining(new CoTraining(0.8, false, false, false))
                    .withDebias(length));
    assertTrue(onViews.getMessage().contains("--views"), onViews.getMessage());
  }
}
