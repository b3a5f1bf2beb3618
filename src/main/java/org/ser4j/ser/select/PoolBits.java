package org.ser4j.ser.select;

import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * One bit a pool pair, by key: on the heap ({@link #onHeap}, a {@link BitSet}), or in a file mapped
 * off the heap ({@link #offHeap}) for a pool of millions, whose driver would otherwise hold a run's
 * and every fold run's bits on its heap (1.25 MB each at 10M pairs; 12.5 MB at 100M).
 */
public interface PoolBits {
  /** Sets key {@code key}'s bit. */
  void set(int key);

  /** Whether key {@code key}'s bit is set (false beyond the pool). */
  boolean get(int key);

  /** How many bits are set. */
  int count();

  /** The bits as a BitSet of their own (what a broadcast ships). */
  BitSet copy();

  /** Bits on the heap, for a pool of any size (they grow as set). */
  static PoolBits onHeap() {
    BitSet bits = new BitSet();
    return new PoolBits() {
      @Override
      public void set(int key) {
        bits.set(key);
      }

      @Override
      public boolean get(int key) {
        return bits.get(key);
      }

      @Override
      public int count() {
        return bits.cardinality();
      }

      @Override
      public BitSet copy() {
        return (BitSet) bits.clone();
      }
    };
  }

  /**
   * Bits for the keys 0 to {@code size - 1}, in a file of {@code spill} mapped off the heap (an
   * eighth of a byte a pool pair, deleted as it is opened).
   */
  static PoolBits offHeap(Path spill, long size) {
    int words = Math.toIntExact((size + 63) / 64);
    LongBuffer w =
        new org.ser4j.util.SpillFile(spill, "ser4j-pool-bits-")
            .map(0, Math.multiplyExact(Math.max(1, words), 8))
            .asLongBuffer();
    return new PoolBits() {
      private int count;

      @Override
      public void set(int key) {
        if (key < 0 || key >= size) {
          throw new IndexOutOfBoundsException("key " + key + " beyond a pool of " + size);
        }
        long word = w.get(key >>> 6);
        long bit = 1L << key; // the shift takes the key's low six bits
        if ((word & bit) == 0) {
          w.put(key >>> 6, word | bit);
          count++;
        }
      }

      @Override
      public boolean get(int key) {
        return key >= 0 && key < size && (w.get(key >>> 6) & (1L << key)) != 0;
      }

      @Override
      public int count() {
        return count;
      }

      @Override
      public BitSet copy() {
        return BitSet.valueOf(w.duplicate().clear());
      }
    };
  }
}
