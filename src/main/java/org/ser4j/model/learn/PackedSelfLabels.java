package org.ser4j.model.learn;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.IntFunction;

/**
 * Self-labels held as rows of 32 bytes (the pair's key, the loop, the label and, for a built
 * (West-of-N) comparison, which answers it takes, the rule's two numbers, the second answer's
 * pair's key), where a list of objects holds a graph of five (about 150). Each element is made when
 * read, its pair from the key ({@code pairs}). For a pool whose picks run into the millions, kept
 * by a run: given a spill directory, every block of rows past the first (65,536 labels, on the
 * heap) lives in a file there mapped into memory, so the labels take no heap however many they are
 * (the file is deleted as it is opened: nothing is left behind, even by a crash). Append-only:
 * {@link #add} and {@link #snapshot} (read-only), no set or remove.
 */
public final class PackedSelfLabels extends AbstractList<SelfLabel> implements RandomAccess {
  private static final int ROW = 32;
  private static final int BLOCK_BITS = 16;
  private static final int BLOCK = 1 << BLOCK_BITS; // labels a block

  private final IntFunction<Comparison> pairs;
  private final Blocks blocks;
  private final boolean frozen; // a snapshot: no appends
  private int size;

  /** An empty list whose labels' pairs are {@code pairs} of their keys, held on the heap. */
  public PackedSelfLabels(IntFunction<Comparison> pairs) {
    this(pairs, new Blocks(null), 0, false);
  }

  /**
   * An empty list whose labels' pairs are {@code pairs} of their keys, its blocks past the first in
   * a file in {@code spill} mapped into memory (off the heap).
   */
  public PackedSelfLabels(IntFunction<Comparison> pairs, Path spill) {
    this(pairs, new Blocks(spill), 0, false);
  }

  private PackedSelfLabels(IntFunction<Comparison> pairs, Blocks blocks, int size, boolean frozen) {
    this.pairs = pairs;
    this.blocks = blocks;
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
    ByteBuffer b = blocks.block(i >>> BLOCK_BITS);
    int at = (i & (BLOCK - 1)) * ROW;
    int flags = b.getInt(at + 4);
    Comparison c = pairs.apply(b.getInt(at));
    if ((flags & BUILT) != 0) {
      c =
          new Comparison(
              new Comparison.Answer(c.first().pair(), (flags & FIRST_IS_FIRST) != 0),
              new Comparison.Answer(
                  pairs.apply(b.getInt(at + 24)).first().pair(), (flags & SECOND_IS_FIRST) != 0));
    }
    return new SelfLabel(
        c, (flags & LABEL) != 0, b.getDouble(at + 8), b.getDouble(at + 16), flags >> LOOP_SHIFT);
  }

  // The row's second int: the label, whether the comparison is built and which answers it takes,
  // then the loop.
  private static final int LABEL = 1;
  private static final int BUILT = 2;
  private static final int FIRST_IS_FIRST = 4;
  private static final int SECOND_IS_FIRST = 8;
  private static final int LOOP_SHIFT = 4;

  @Override
  public int size() {
    return size;
  }

  /**
   * Appends {@code s}: a label of a pool pair's own two answers, in their order, or of a built
   * comparison of answers from two pool pairs.
   */
  @Override
  public boolean add(SelfLabel s) {
    if (frozen) {
      throw new UnsupportedOperationException("a snapshot takes no more labels");
    }
    Comparison c = s.pair();
    if (!c.built() && !c.first().isFirst()) {
      throw new IllegalArgumentException("a pool pair's answers are packed in order: " + c.id());
    }
    int flags = (s.loop() << LOOP_SHIFT) | (s.firstPreferred() ? LABEL : 0);
    if (c.built()) {
      flags |=
          BUILT
              | (c.first().isFirst() ? FIRST_IS_FIRST : 0)
              | (c.second().isFirst() ? SECOND_IS_FIRST : 0);
    }
    ByteBuffer b = blocks.forRow(size);
    int at = (size & (BLOCK - 1)) * ROW;
    b.putInt(at, c.key());
    b.putInt(at + 4, flags);
    b.putDouble(at + 8, s.s1());
    b.putDouble(at + 16, s.s2());
    b.putInt(at + 24, c.second().pair().key());
    size++;
    modCount++;
    return true;
  }

  /**
   * The labels as they stand, unchanged by later appends: it shares the rows (an append writes past
   * its end, or into a new block), so it costs no copy.
   */
  public PackedSelfLabels snapshot() {
    return frozen ? this : new PackedSelfLabels(pairs, blocks.upTo(size), size, true);
  }

  /**
   * The rows' blocks: the first on the heap, grown as it fills; the others of {@value #BLOCK}
   * labels, mapped from the spill file where there is one. A full block is never moved, and a grown
   * first block is a new buffer, so a snapshot's blocks hold its rows as they were.
   */
  private static final class Blocks {
    private final org.ser4j.util.SpillFile file; // null: every block on the heap
    private final List<ByteBuffer> list;

    Blocks(Path spill) {
      this(
          spill == null ? null : new org.ser4j.util.SpillFile(spill, "ser4j-self-labels-"),
          new ArrayList<>());
    }

    private Blocks(org.ser4j.util.SpillFile file, List<ByteBuffer> list) {
      this.file = file;
      this.list = list;
    }

    ByteBuffer block(int b) {
      return list.get(b);
    }

    /** The block row {@code row} is written into, made or grown first where needed. */
    ByteBuffer forRow(int row) {
      int b = row >>> BLOCK_BITS;
      if (b == list.size()) {
        list.add(b == 0 || file == null ? ByteBuffer.allocate(16 * ROW) : map(b));
      }
      ByteBuffer block = list.get(b);
      int need = ((row & (BLOCK - 1)) + 1) * ROW;
      if (need > block.capacity()) { // the heap's first block, doubled
        ByteBuffer grown = ByteBuffer.allocate(Math.min(BLOCK * ROW, 2 * block.capacity()));
        grown.put(block.duplicate().clear());
        list.set(b, grown.clear());
        block = grown;
      }
      return block;
    }

    /** Block {@code b} of the spill file. */
    private ByteBuffer map(int b) {
      return file.map((long) b * BLOCK * ROW, BLOCK * ROW);
    }

    /** The blocks holding the first {@code rows} rows, as a snapshot reads them. */
    Blocks upTo(int rows) {
      int n = (rows + BLOCK - 1) >>> BLOCK_BITS;
      return new Blocks(file, new ArrayList<>(list.subList(0, n)));
    }
  }
}
