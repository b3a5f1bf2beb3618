package org.ser4j.ser.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bits over a pool, on the heap and mapped off it, against a plain BitSet given the same keys: the
 * same bits, count and copy; the mapped file gone from the spill directory at once.
 */
class PoolBitsTest {
  @Test
  void bothKindsHoldWhatABitSetHolds(@TempDir Path spill) throws Exception {
    int size = 200_003; // not a multiple of 64: the last word is partial
    Random random = new Random(7);
    BitSet expected = new BitSet();
    PoolBits heap = PoolBits.onHeap();
    PoolBits mapped = PoolBits.offHeap(spill, size);
    for (int i = 0; i < 50_000; i++) {
      int key = i < 3 ? new int[] {0, 63, size - 1}[i] : random.nextInt(size);
      expected.set(key);
      heap.set(key);
      mapped.set(key);
      mapped.set(key); // twice: counted once
    }
    for (PoolBits bits : new PoolBits[] {heap, mapped}) {
      assertEquals(expected.cardinality(), bits.count());
      assertEquals(expected, bits.copy());
      for (int key = 0; key < size; key++) {
        if (bits.get(key) != expected.get(key)) {
          throw new AssertionError("key " + key);
        }
      }
    }
    assertFalse(mapped.get(size), "beyond the pool");
    assertThrows(IndexOutOfBoundsException.class, () -> mapped.set(size));
    try (var left = Files.list(spill)) {
      assertEquals(0, left.count(), "the mapped file is deleted as it is opened");
    }
  }

  @Test
  void takenOffTheHeapExcludesWhatPeopleLabeled(@TempDir Path spill) {
    BitSet people = new BitSet();
    people.set(5);
    people.set(70);
    Taken taken =
        Taken.excluding(people, PoolBits.offHeap(spill, 100), PoolBits.offHeap(spill, 100));
    assertEquals(2, taken.count());
    assertEquals(people, taken.bits());
  }
}
