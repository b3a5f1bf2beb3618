package org.ser4j.model.head;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ser4j.model.Provenance;

/**
 * The linear head's batched kernel against its one-row {@link LinearHead#score}: every reward the
 * same to the bit at every count (the tails past a multiple of four), and a model scoring raw rows
 * in chunks and blocks as it scores each one.
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
    int[] order = {7, 3, 22, 0, 5, 5, 19, 11, 2, 14, 9};
    for (int to = 1; to <= order.length; to++) {
      double[] batched = new double[to - 1];
      head.scoreRows(x, order, 1, to, batched);
      for (int k = 1; k < to; k++) {
        assertEquals(
            Double.doubleToLongBits(head.score(x[order[k]])),
            Double.doubleToLongBits(batched[k - 1]));
      }
    }
  }

  @Test
  void aModelScoresManyRowsAsItScoresEach() {
    Random r = new Random(9);
    int d = 16;
    float[][] x = rows(r, 10_003, d); // two chunks and a part, blocks and a tail within them
    HeadModel model = new HeadModel(null, FeatureNormalizer.fit(x), head(r, d), Provenance.UNKNOWN);
    double[] all = model.score(x);
    for (int i = 0; i < x.length; i++) {
      assertEquals(
          Double.doubleToLongBits(model.score(x[i])), Double.doubleToLongBits(all[i]), "row " + i);
    }
  }
}
