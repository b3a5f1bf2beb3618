package org.ser4j.ser.ask;

import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * The dot products of pool rows with many vectors at once, each exactly as {@link DOptimal#dot}
 * computes it: four partial sums (dimensions by their index mod 4, the rest in the first) added as
 * (s0 + s1) + (s2 + s3). The vectors are stored by dimension so that the inner loops run across
 * them, which the JIT turns into vector instructions (one dot at a time is a sum it cannot), and
 * two rows share each load of the vectors.
 */
final class ManyDots {
  /** Rows per task of a parallel pass. */
  private static final int CHUNK = 512;

  /** What is done with one row's products; the array is reused once the call returns. */
  interface RowUse {
    void accept(int row, double[] products);
  }

  private final double[][] byDim;
  private final double[][] partial;

  /**
   * For every row i of {@code rows} that {@code wanted} accepts, in parallel (chunks of rows, two
   * rows at a time): {@code use.accept(i, products)} with products[t] = rows[i] . v[t] for the
   * first {@code m} vectors of {@code byDim}. Calls for different rows may run at the same time.
   */
  static void forEachRow(float[][] rows, IntPredicate wanted, double[][] byDim, int m, RowUse use) {
    int n = rows.length;
    IntStream.range(0, (n + CHUNK - 1) / CHUNK)
        .parallel()
        .forEach(
            chunk -> {
              ManyDots dots = new ManyDots(byDim, m);
              double[] a1 = new double[m];
              double[] a2 = new double[m];
              int[] here = new int[CHUNK];
              int count = 0;
              for (int i = chunk * CHUNK; i < Math.min(n, (chunk + 1) * CHUNK); i++) {
                if (wanted.test(i)) {
                  here[count++] = i;
                }
              }
              for (int x = 0; x < count; x += 2) {
                int i1 = here[x];
                int i2 = here[Math.min(x + 1, count - 1)];
                dots.two(rows[i1], rows[i2], m, a1, a2);
                use.accept(i1, a1);
                if (i2 != i1) {
                  use.accept(i2, a2);
                }
              }
            });
  }

  /**
   * @param byDim the vectors by dimension: byDim[a][t] is vector t's coordinate a
   * @param width the most vectors a call reads
   */
  ManyDots(double[][] byDim, int width) {
    this.byDim = byDim;
    this.partial = new double[8][width];
  }

  /**
   * out1[t] = d1 . v[t] and out2[t] = d2 . v[t] for the first {@code m} vectors (d2 may be d1). Not
   * thread-safe: one instance per thread.
   */
  void two(float[] d1, float[] d2, int m, double[] out1, double[] out2) {
    for (double[] p : partial) {
      Arrays.fill(p, 0, m, 0);
    }
    double[] a0 = partial[0];
    double[] a1 = partial[1];
    double[] a2 = partial[2];
    double[] a3 = partial[3];
    double[] b0 = partial[4];
    double[] b1 = partial[5];
    double[] b2 = partial[6];
    double[] b3 = partial[7];
    int a = 0;
    for (; a + 3 < d1.length; a += 4) {
      add(a0, b0, d1[a], d2[a], byDim[a], m);
      add(a1, b1, d1[a + 1], d2[a + 1], byDim[a + 1], m);
      add(a2, b2, d1[a + 2], d2[a + 2], byDim[a + 2], m);
      add(a3, b3, d1[a + 3], d2[a + 3], byDim[a + 3], m);
    }
    for (; a < d1.length; a++) {
      add(a0, b0, d1[a], d2[a], byDim[a], m);
    }
    for (int t = 0; t < m; t++) {
      out1[t] = (a0[t] + a1[t]) + (a2[t] + a3[t]);
      out2[t] = (b0[t] + b1[t]) + (b2[t] + b3[t]);
    }
  }

  private static void add(double[] s1, double[] s2, double x1, double x2, double[] v, int m) {
    for (int t = 0; t < m; t++) {
      double vt = v[t];
      s1[t] += x1 * vt;
      s2[t] += x2 * vt;
    }
  }
}
