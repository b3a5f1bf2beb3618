package org.ser4j.data;

import java.util.BitSet;

/**
 * The hidden human labels of an unlabeled pool, kept apart from the pool so that training code
 * cannot read them by accident. Only evaluation asks: "was {@code first} the preferred one?" A real
 * pool, which nobody has judged, has none ({@link #unknown}).
 */
public final class GoldLabels {
  private final BitSet firstPreferred;
  private final int size;
  private final boolean known;

  public GoldLabels(BitSet firstPreferred, int size) {
    this(firstPreferred, size, true);
  }

  private GoldLabels(BitSet firstPreferred, int size, boolean known) {
    this.firstPreferred = (BitSet) firstPreferred.clone();
    this.size = size;
    this.known = known;
  }

  /** A pool of {@code size} pairs nobody has judged. */
  public static GoldLabels unknown(int size) {
    return new GoldLabels(new BitSet(), size, false);
  }

  /** Whether the pool's labels are known (the experiment) or not (your own data). */
  public boolean known() {
    return known;
  }

  public boolean firstPreferred(UnlabeledPair pair) {
    if (!known) {
      throw new IllegalStateException("this pool has no gold labels: nobody has judged it");
    }
    if (pair.key() < 0 || pair.key() >= size) {
      throw new IllegalArgumentException("pair key " + pair.key() + " is not from this pool");
    }
    return firstPreferred.get(pair.key());
  }

  public int size() {
    return size;
  }
}
