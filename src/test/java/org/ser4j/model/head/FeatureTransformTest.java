package org.ser4j.model.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ser4j.util.Progress;

/**
 * The pool transform: whitened vectors have the identity covariance (computed directly), PCA keeps
 * the axes a low-rank pool uses, and a head trained on mapped vectors folds into a linear head on
 * the raw ones that scores the same.
 */
class FeatureTransformTest {
  /** n vectors of two 8-wide segments, each of rank 3 plus a little noise, with offsets. */
  private static float[][] lowRank(int n, long seed) {
    Random r = new Random(seed);
    double[][][] basis = new double[2][3][8];
    for (double[][] b : basis) {
      for (double[] v : b) {
        for (int i = 0; i < 8; i++) {
          v[i] = r.nextGaussian();
        }
      }
    }
    float[][] out = new float[n][16];
    for (int k = 0; k < n; k++) {
      for (int s = 0; s < 2; s++) {
        for (int j = 0; j < 3; j++) {
          double c = r.nextGaussian() * (3 - j);
          for (int i = 0; i < 8; i++) {
            out[k][s * 8 + i] += (float) (c * basis[s][j][i]);
          }
        }
        for (int i = 0; i < 8; i++) {
          out[k][s * 8 + i] += (float) (0.01 * r.nextGaussian() + 0.5 * s + 0.1 * i);
        }
      }
    }
    return out;
  }

  @Test
  void whitenedVectorsHaveTheIdentityCovariance() {
    float[][] pool = lowRank(3000, 1);
    FeatureTransform t = FeatureTransform.fit(pool, FeatureTransform.Mode.WHITEN, 8, 3);
    assertEquals(16, t.outputDimension());
    float[][] z = t.apply(pool);
    int d = z[0].length;
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        if (a / 8 != b / 8) {
          continue; // segments are whitened apart
        }
        double ma = 0;
        double mb = 0;
        for (float[] row : z) {
          ma += row[a];
          mb += row[b];
        }
        ma /= z.length;
        mb /= z.length;
        double c = 0;
        for (float[] row : z) {
          c += (row[a] - ma) * (row[b] - mb);
        }
        c /= z.length - 1;
        assertEquals(a == b ? 1.0 : 0.0, c, 1e-3, "covariance " + a + "," + b);
      }
    }
  }

  @Test
  void pcaKeepsTheAxesTheLowRankPoolUses() {
    float[][] pool = lowRank(3000, 2);
    FeatureTransform t = FeatureTransform.fit(pool, FeatureTransform.Mode.PCA, 8, 3);
    assertEquals(2, t.blocks().size());
    for (FeatureTransform.Block b : t.blocks()) {
      assertEquals(3, b.axes().length, "three directions carry the segment's variance");
    }
  }

  @Test
  void aHeadOnMappedVectorsFoldsIntoTheSameRewardsOnRawOnes() {
    Random r = new Random(5);
    float[][] pool = lowRank(2000, 4);
    for (FeatureTransform.Mode mode :
        new FeatureTransform.Mode[] {FeatureTransform.Mode.WHITEN, FeatureTransform.Mode.PCA}) {
      FeatureTransform t = FeatureTransform.fit(pool, mode, 8, 3);
      float[][] c = new float[200][];
      float[][] j = new float[200][];
      for (int i = 0; i < 200; i++) {
        c[i] = pool[r.nextInt(pool.length)];
        j[i] = pool[r.nextInt(pool.length)];
        if (c[i][0] < j[i][0]) { // a preference the features carry
          float[] s = c[i];
          c[i] = j[i];
          j[i] = s;
        }
      }
      PairFeatures raw = new PairFeatures(c, j);
      TrainedHead mapped =
          new RewardTrainer(TrainConfig.defaults().withMaxEpochs(40), Progress.quiet())
              .train(t.apply(raw), new PairFeatures(new float[0][], new float[0][]));
      FeatureNormalizer rawNorm = FeatureNormalizer.fit(c, j);
      LinearHead folded = t.fold((LinearHead) mapped.head(), mapped.normalizer(), rawNorm);
      for (int i = 0; i < 50; i++) {
        float[] x = pool[i];
        double expected = mapped.head().score(mapped.normalizer().apply(t.apply(x)));
        double got = folded.score(rawNorm.apply(x));
        assertEquals(expected, got, 1e-3 * (1 + Math.abs(expected)), mode + " row " + i);
      }
      double margin = 0;
      for (int i = 0; i < 200; i++) {
        margin += folded.score(rawNorm.apply(c[i])) - folded.score(rawNorm.apply(j[i]));
      }
      assertTrue(margin > 0, mode + ": the folded head still prefers the chosen answers");
    }
  }
}
