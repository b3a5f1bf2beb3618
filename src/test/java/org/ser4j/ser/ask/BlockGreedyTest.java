package org.ser4j.ser.ask;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The block-lazy greedy against the plain greedy it replaces (one pass over every candidate per
 * pick, written out here): the same picks and gains bit for bit over several blocks, a last partial
 * block and a dimension that is not a multiple of four; and, across block boundaries, against log
 * det recomputed from scratch.
 */
class BlockGreedyTest {
  private record Setup(float[][] diff, double[] w, double[] q, double[][] inverse) {}

  /** Candidates of very different scale and weight, M = I + a few labeled pairs. */
  private static Setup setup(int n, int dim, int held, long seed) {
    Random r = new Random(seed);
    float[][] diff = new float[n][dim];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      double scale = 0.3 + 2 * r.nextDouble();
      for (int a = 0; a < dim; a++) {
        diff[i][a] = (float) (scale * r.nextGaussian());
      }
      w[i] = DOptimal.weight(0.02 + 0.96 * r.nextDouble());
    }
    RealMatrix m = MatrixUtils.createRealIdentityMatrix(dim);
    for (int j = 0; j < held; j++) {
      double[] d = r.doubles(dim).map(x -> 2 * x - 1).toArray();
      RealMatrix col = MatrixUtils.createColumnRealMatrix(d);
      m = m.add(col.multiply(col.transpose()).scalarMultiply(0.2));
    }
    double[][] inverse = new CholeskyDecomposition(m).getSolver().getInverse().getData();
    double[] q = DOptimal.quadraticForms(inverse, diff);
    return new Setup(diff, w, q, inverse);
  }

  /** The plain greedy: every candidate's q updated after every pick, the first strict maximum. */
  private static List<Acquisition.Pick> plainGreedy(Setup s, int k) {
    int n = s.diff.length;
    int dim = s.inverse.length;
    double[] q = s.q.clone();
    double[][] inverse = new double[dim][];
    for (int r = 0; r < dim; r++) {
      inverse[r] = s.inverse[r].clone();
    }
    boolean[] taken = new boolean[n];
    List<Acquisition.Pick> out = new ArrayList<>();
    double[] u = new double[dim];
    while (out.size() < k) {
      int best = -1;
      double bestWq = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        double wq = s.w[i] * q[i];
        if (!taken[i] && wq > bestWq) {
          best = i;
          bestWq = wq;
        }
      }
      taken[best] = true;
      out.add(new Acquisition.Pick(best, Math.log1p(bestWq)));
      for (int r = 0; r < dim; r++) {
        u[r] = DOptimal.dot(s.diff[best], inverse[r]);
      }
      double qBest = DOptimal.dot(s.diff[best], u);
      double c = s.w[best] / (1 + s.w[best] * qBest);
      for (int r = 0; r < dim; r++) {
        for (int x = 0; x < dim; x++) {
          inverse[r][x] -= c * u[r] * u[x];
        }
      }
      for (int i = 0; i < n; i++) {
        if (!taken[i]) {
          double a = DOptimal.dot(s.diff[i], u);
          q[i] -= c * a * a;
        }
      }
    }
    return out;
  }

  private static List<Acquisition.Pick> blockGreedy(Setup s, int k) {
    double[][] inverse = new double[s.inverse.length][];
    for (int r = 0; r < inverse.length; r++) {
      inverse[r] = s.inverse[r].clone();
    }
    return new BlockGreedy(s.diff, s.w, s.q.clone(), inverse).pick(k);
  }

  @Test
  void theSamePicksAndGainsAsOnePassPerPick() {
    for (int dim : new int[] {23, 32}) {
      Setup s = setup(3000, dim, 10, dim);
      int k = 4 * BlockGreedy.BLOCK + 7;
      List<Acquisition.Pick> plain = plainGreedy(s, k);
      List<Acquisition.Pick> block = blockGreedy(s, k);
      for (int t = 0; t < k; t++) {
        assertEquals(plain.get(t).index(), block.get(t).index(), "dim " + dim + ", pick " + t);
        assertEquals(
            Double.doubleToLongBits(plain.get(t).score()),
            Double.doubleToLongBits(block.get(t).score()),
            "dim " + dim + ", pick " + t + ": the gain, bit for bit");
      }
    }
  }

  @Test
  void acrossBlocksEachPickMaximizesLogDetRecomputedFromScratch() {
    int n = BlockGreedy.BLOCK * 2 + 30;
    int dim = 6;
    Setup s = setup(n, dim, 3, 5);
    RealMatrix m = MatrixUtils.inverse(MatrixUtils.createRealMatrix(s.inverse));
    List<Acquisition.Pick> picks = blockGreedy(s, BlockGreedy.BLOCK * 2 + 3);
    boolean[] chosen = new boolean[n];
    for (Acquisition.Pick pick : picks) {
      double base = Math.log(new LUDecomposition(m).getDeterminant());
      int best = -1;
      double bestGain = Double.NEGATIVE_INFINITY;
      RealMatrix bestM = null;
      for (int i = 0; i < n; i++) {
        if (!chosen[i]) {
          double[] d = new double[dim];
          for (int a = 0; a < dim; a++) {
            d[a] = s.diff[i][a];
          }
          RealMatrix col = MatrixUtils.createColumnRealMatrix(d);
          RealMatrix next = m.add(col.multiply(col.transpose()).scalarMultiply(s.w[i]));
          double g = Math.log(new LUDecomposition(next).getDeterminant()) - base;
          if (g > bestGain + 1e-12) {
            best = i;
            bestGain = g;
            bestM = next;
          }
        }
      }
      assertEquals(best, pick.index());
      assertEquals(bestGain, pick.score(), 1e-8);
      chosen[best] = true;
      m = bestM;
    }
  }

  @Test
  void manyDotsAreDotsBitForBit() {
    Random r = new Random(3);
    for (int dim : new int[] {7, 768}) {
      int m = 64;
      double[][] v = new double[m][dim];
      double[][] byDim = new double[dim][m];
      for (int t = 0; t < m; t++) {
        for (int a = 0; a < dim; a++) {
          v[t][a] = r.nextGaussian();
          byDim[a][t] = v[t][a];
        }
      }
      float[] d1 = new float[dim];
      float[] d2 = new float[dim];
      for (int a = 0; a < dim; a++) {
        d1[a] = (float) r.nextGaussian();
        d2[a] = (float) r.nextGaussian();
      }
      double[] out1 = new double[m];
      double[] out2 = new double[m];
      new ManyDots(byDim, m).two(d1, d2, m - 3, out1, out2);
      for (int t = 0; t < m - 3; t++) {
        assertEquals(DOptimal.dot(d1, v[t]), out1[t], 0.0, "dim " + dim + ", vector " + t);
        assertEquals(DOptimal.dot(d2, v[t]), out2[t], 0.0, "dim " + dim + ", vector " + t);
      }
      assertEquals(0.0, out1[m - 1], "only the first m - 3 are written");
    }
  }
}
