package org.ser4j.data;

import java.util.BitSet;

/**
 * The hidden human labels of an unlabeled pool, kept apart from the pool so that training code
 * cannot read them by accident. Only evaluation asks: "was {@code first} the preferred one?"
 */
public final class GoldLabels {
  private final BitSet firstPreferred;
  private final int size;

  public GoldLabels(BitSet firstPreferred, int size) {
    this.firstPreferred = (BitSet) firstPreferred.clone();
    this.size = size;
  }

  public boolean firstPreferred(UnlabeledPair pair) {
    if (pair.key() < 0 || pair.key() >= size) {
      throw new IllegalArgumentException("pair key " + pair.key() + " is not from this pool");
    }
    return firstPreferred.get(pair.key());
  }

  public int size() {
    return size;
  }
}
