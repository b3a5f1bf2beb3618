package org.ser4j.model.head;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ser4j.model.Provenance;

/**
 * The linear head's batched kernels against its one-row {@link LinearHead#score}: every reward the
 * same to the bit, for standardized rows, for raw rows standardized as they are read, at every
 * count (the tails past a multiple of four), and for a model scoring more rows than one chunk.
 */
class ScoreRowsTest {
  private static float[][] rows(Random r, int n, int d) {
    float[][] x = new float[n][d];
    for (float[] row : x) {
      for (int i = 0; i < d; i++) {
        row[i] = (float) (r.nextGaussian() * 3 + 1);
      }
    }
    return x;
  }

  private static LinearHead head(Random r, int d) {
    double[] p = new double[d + 1];
    for (int i = 0; i <= d; i++) {
      p[i] = r.nextGaussian();
    }
    return new LinearHead(d, p);
  }

  @Test
  void batchedRewardsEqualOneRowRewardsBitForBit() {
    Random r = new Random(5);
    int d = 37;
    LinearHead head = head(r, d);
    float[][] x = rows(r, 23, d);
    FeatureNormalizer z = FeatureNormalizer.fit(x);
    int[] order = {7, 3, 22, 0, 5, 5, 19, 11, 2, 14, 9};
    for (int to = 1; to <= order.length; to++) {
      double[] standardized = new double[to - 1];
      double[] raw = new double[to - 1];
      head.scoreRows(x, null, order, 1, to, standardized);
      head.scoreRows(x, z, order, 1, to, raw);
      for (int k = 1; k < to; k++) {
        float[] row = x[order[k]];
        assertEquals(
            Double.doubleToLongBits(head.score(row)), Double.doubleToLongBits(standardized[k - 1]));
        assertEquals(
            Double.doubleToLongBits(head.score(z.apply(row))), Double.doubleToLongBits(raw[k - 1]));
      }
    }
  }

  @Test
  void aModelScoresManyRowsAsItScoresEach() {
    Random r = new Random(9);
    int d = 16;
    float[][] x = rows(r, 10_003, d); // more than two chunks, and a tail
    HeadModel model = new HeadModel(null, FeatureNormalizer.fit(x), head(r, d), Provenance.UNKNOWN);
    double[] all = model.score(x);
    for (int i = 0; i < x.length; i++) {
      assertEquals(
          Double.doubleToLongBits(model.score(x[i])), Double.doubleToLongBits(all[i]), "row " + i);
    }
  }
}
