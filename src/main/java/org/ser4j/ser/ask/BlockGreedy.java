package org.ser4j.ser.ask;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The greedy picks of {@link DOptimal}, made in blocks so that the costly part vectorizes. Each
 * candidate's gain w q (q = d' M^-1 d) only falls as picks are made, since M only grows. So within
 * a block a pick is found lazily: the candidate of largest gain so far is brought up to date with
 * the block's picks it has not seen, and taken once it is up to date and still on top. At the end
 * of a block one pass brings every candidate up to date, computing its products with all of the
 * block's directions u at once: a loop across the block that the JIT turns into vector
 * instructions, where one pass per pick is a sum along d that it cannot (and that streams the whole
 * pool once per pick).
 *
 * <p>The arithmetic is that of one exact update per pick: each product d . u is summed in the same
 * order as {@link DOptimal#dot}, and the q of a candidate loses c (d . u)^2 pick by pick in the
 * same order; ties go to the lower index. So the picks and gains are the same, bit for bit.
 */
final class BlockGreedy {
  /** Picks per block: the block's directions (dimension x BLOCK doubles) stay in the L2 cache. */
  static final int BLOCK = 64;

  private final float[][] diff;
  private final double[] w;
  private final double[] q;
  private final double[][] inverse;
  private final int dim;
  private final boolean[] taken;

  /** How many of this block's picks each candidate's q has seen. */
  private final int[] seen;

  /** This block's directions u = M^-1 d* and their factors c = w / (1 + w q). */
  private final double[][] u = new double[BLOCK][];

  private final double[] c = new double[BLOCK];

  /** The block's directions by dimension: uByDim[a][s] = u[s][a], what the pass reads. */
  private final double[][] uByDim;

  /** Gains as far as known: exact where seen equals the block's picks, else above the exact. */
  private final double[] known;

  private final MaxHeap heap;

  /**
   * @param q every candidate's d' M^-1 d for the current {@code inverse}; updated in place
   * @param inverse M^-1; updated in place, pick by pick
   */
  BlockGreedy(float[][] diff, double[] w, double[] q, double[][] inverse) {
    this.diff = diff;
    this.w = w;
    this.q = q;
    this.inverse = inverse;
    this.dim = inverse.length;
    int n = diff.length;
    this.taken = new boolean[n];
    this.seen = new int[n];
    this.uByDim = new double[dim][BLOCK];
    this.known = new double[n];
    this.heap = new MaxHeap(known);
  }

  /** The first k greedy picks (at most the pool), best first. */
  List<Acquisition.Pick> pick(int k) {
    k = Math.min(k, diff.length);
    List<Acquisition.Pick> out = new ArrayList<>();
    while (out.size() < k) {
      startBlock();
      int picks = Math.min(BLOCK, k - out.size());
      for (int s = 0; s < picks; s++) {
        int best = nextPick(s);
        double wq = known[best];
        taken[best] = true;
        out.add(new Acquisition.Pick(best, Math.log1p(wq)));
        addDirection(s, best);
      }
      finishBlock(picks);
    }
    return out;
  }

  private void startBlock() {
    heap.clear();
    for (int i = 0; i < diff.length; i++) {
      if (!taken[i]) {
        known[i] = w[i] * q[i];
        heap.add(i);
      }
    }
    heap.heapify();
  }

  /** Lazy greedy: the top is brought up to date until the top is up to date. */
  private int nextPick(int s) {
    while (true) {
      int top = heap.top();
      if (seen[top] == s) {
        heap.pop();
        return top;
      }
      catchUp(top, s);
      known[top] = w[top] * q[top];
      heap.topFell();
    }
  }

  /** Candidate i's q after the block's first s picks, from where it stands. */
  private void catchUp(int i, int s) {
    for (int t = seen[i]; t < s; t++) {
      double a = DOptimal.dot(diff[i], u[t]);
      q[i] -= c[t] * a * a;
    }
    seen[i] = s;
  }

  /** Pick s of the block was {@code best}: M^-1 gains its rank-one update. */
  private void addDirection(int s, int best) {
    double[] us = new double[dim];
    for (int r = 0; r < dim; r++) {
      us[r] = DOptimal.dot(diff[best], inverse[r]);
    }
    double qBest = DOptimal.dot(diff[best], us);
    c[s] = w[best] / (1 + w[best] * qBest);
    u[s] = us;
    for (int a = 0; a < dim; a++) {
      uByDim[a][s] = us[a];
    }
    for (int r = 0; r < dim; r++) { // Sherman-Morrison: M^-1 - c u u'
      double cu = c[s] * us[r];
      double[] row = inverse[r];
      for (int x = 0; x < dim; x++) {
        row[x] -= cu * us[x];
      }
    }
  }

  /** Every candidate's q after all of the block's picks: one pass over the pool. */
  private void finishBlock(int picks) {
    ManyDots.forEachRow(
        diff, i -> !taken[i] && seen[i] < picks, uByDim, picks, (i, a) -> lower(i, a, picks));
    Arrays.fill(seen, 0);
  }

  /** Candidate i's q after the block's picks it has not seen, given its products with them. */
  private void lower(int i, double[] a, int picks) {
    for (int t = seen[i]; t < picks; t++) {
      q[i] -= c[t] * a[t] * a[t];
    }
  }

  /**
   * A binary max-heap of candidate indices by their known gain, ties to the lower index (the order
   * of a scan that keeps the first strict maximum).
   */
  private static final class MaxHeap {
    private final double[] key;
    private int[] items = new int[16];
    private int size;

    MaxHeap(double[] key) {
      this.key = key;
    }

    void clear() {
      size = 0;
    }

    /** Appends without order: heapify before use. */
    void add(int i) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = i;
    }

    void heapify() {
      for (int at = size / 2 - 1; at >= 0; at--) {
        siftDown(at);
      }
    }

    int top() {
      return items[0];
    }

    void pop() {
      items[0] = items[--size];
      siftDown(0);
    }

    /** The top's key fell: it sinks to its place. */
    void topFell() {
      siftDown(0);
    }

    private boolean above(int a, int b) {
      return key[a] > key[b] || (key[a] == key[b] && a < b);
    }

    private void siftDown(int at) {
      int item = items[at];
      while (true) {
        int child = 2 * at + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && above(items[child + 1], items[child])) {
          child++;
        }
        if (!above(items[child], item)) {
          break;
        }
        items[at] = items[child];
        at = child;
      }
      items[at] = item;
    }
  }
}
