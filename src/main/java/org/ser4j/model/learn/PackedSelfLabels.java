package org.ser4j.model.learn;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.IntFunction;

/**
 * Self-labels of plain pool pairs held as columns (the pair's key, the label, the rule's two
 * numbers, the loop): 24 bytes a label, where a list of objects holds a graph of five (about 150).
 * Each element is made when read, its pair from the key ({@code pairs}). For a pool whose picks run
 * into the millions, kept by a run and each of its fold runs. Append-only: {@link #add} and {@link
 * #snapshot} (read-only), no set or remove.
 */
public final class PackedSelfLabels extends AbstractList<SelfLabel> implements RandomAccess {
  private final IntFunction<Comparison> pairs;
  private int[] keys;
  private double[] s1;
  private double[] s2;
  private int[] loops;
  private final BitSet firstPreferred;
  private int size;
  private final boolean frozen; // a snapshot: no appends

  /** An empty list whose labels' pairs are {@code pairs} of their keys. */
  public PackedSelfLabels(IntFunction<Comparison> pairs) {
    this(pairs, new int[16], new double[16], new double[16], new int[16], new BitSet(), 0, false);
  }

  private PackedSelfLabels(
      IntFunction<Comparison> pairs,
      int[] keys,
      double[] s1,
      double[] s2,
      int[] loops,
      BitSet firstPreferred,
      int size,
      boolean frozen) {
    this.pairs = pairs;
    this.keys = keys;
    this.s1 = s1;
    this.s2 = s2;
    this.loops = loops;
    this.firstPreferred = firstPreferred;
    this.size = size;
    this.frozen = frozen;
  }

  /** {@code labels} packed, their pairs {@code pairs} of their keys. */
  public static PackedSelfLabels of(List<SelfLabel> labels, IntFunction<Comparison> pairs) {
    PackedSelfLabels out = new PackedSelfLabels(pairs);
    out.addAll(labels);
    return out;
  }

  @Override
  public SelfLabel get(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i);
    }
    return new SelfLabel(pairs.apply(keys[i]), firstPreferred.get(i), s1[i], s2[i], loops[i]);
  }

  @Override
  public int size() {
    return size;
  }

  /** Appends {@code s}, a label of a pool pair's own two answers, in their order. */
  @Override
  public boolean add(SelfLabel s) {
    if (frozen) {
      throw new UnsupportedOperationException("a snapshot takes no more labels");
    }
    Comparison c = s.pair();
    if (c.built() || !c.first().isFirst()) {
      throw new IllegalArgumentException("only a pool pair's own answers are packed: " + c.id());
    }
    if (size == keys.length) {
      int n = Math.max(16, 2 * size);
      keys = Arrays.copyOf(keys, n);
      s1 = Arrays.copyOf(s1, n);
      s2 = Arrays.copyOf(s2, n);
      loops = Arrays.copyOf(loops, n);
    }
    keys[size] = c.key();
    s1[size] = s.s1();
    s2[size] = s.s2();
    loops[size] = s.loop();
    firstPreferred.set(size, s.firstPreferred());
    size++;
    modCount++;
    return true;
  }

  /**
   * The labels as they stand, unchanged by later appends: it shares the columns (an append writes
   * past its end, or into new arrays), so it costs no copy.
   */
  public PackedSelfLabels snapshot() {
    return frozen
        ? this
        : new PackedSelfLabels(pairs, keys, s1, s2, loops, firstPreferred.get(0, size), size, true);
  }
}
