package org.ser4j.model.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ser4j.model.Loss;

/** The hand-written gradients against central finite differences. */
class GradientCheckTest {
  private static float[] randomVector(Random r, int d) {
    float[] x = new float[d];
    for (int i = 0; i < d; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  private static double pairLoss(RewardHead head, Loss loss, float[] c, float[] r) {
    return loss.of(head.score(c), head.score(r)).loss();
  }

  private static void check(RewardHead head, Loss loss, long seed) {
    Random random = new Random(seed);
    double[] p = head.parameters();
    for (int i = 0; i < p.length; i++) {
      p[i] = random.nextGaussian() * 0.3;
    }
    int d = head.inputDimension();
    float[] c = randomVector(random, d);
    float[] r = randomVector(random, d);
    Loss.PairLoss l = loss.of(head.score(c), head.score(r));
    double[] grad = new double[p.length];
    head.backward(c, l.dChosen(), grad);
    head.backward(r, l.dRejected(), grad);
    double h = 1e-6;
    double worst = 0;
    for (int i = 0; i < p.length; i++) {
      double saved = p[i];
      p[i] = saved + h;
      double up = pairLoss(head, loss, c, r);
      p[i] = saved - h;
      double down = pairLoss(head, loss, c, r);
      p[i] = saved;
      double numeric = (up - down) / (2 * h);
      double err =
          Math.abs(numeric - grad[i]) / Math.max(1e-3, Math.abs(numeric) + Math.abs(grad[i]));
      worst = Math.max(worst, err);
    }
    assertTrue(
        worst < 1e-5,
        head.getClass().getSimpleName() + " " + loss + ": worst relative error " + worst);
  }

  @ParameterizedTest
  @EnumSource(Loss.class)
  void linearHead(Loss loss) {
    check(new LinearHead(7), loss, 1);
  }

  @ParameterizedTest
  @EnumSource(Loss.class)
  void mlpHead(Loss loss) {
    check(new MlpHead(6, 5, 3), loss, 2);
  }

  @ParameterizedTest
  @EnumSource(Loss.class)
  void lossValuesMatchTheirDefinitions(Loss loss) {
    double c = 0.7;
    double r = -0.4;
    double bt = -Math.log(1 / (1 + Math.exp(-(c - r))));
    double bce = -Math.log(1 / (1 + Math.exp(-c))) - Math.log(1 - 1 / (1 + Math.exp(-r)));
    double expected = loss == Loss.PAIRWISE ? bt : loss == Loss.POINTWISE ? bce : bt + bce;
    assertEquals(expected, loss.of(c, r).loss(), 1e-12);
    assertTrue(
        Double.isFinite(loss.of(800, -800).loss()) && Double.isFinite(loss.of(-800, 800).loss()),
        "no overflow at extreme rewards");
  }
}
