package org.ser4j.ser.select;

import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.model.learn.SelfLabel;

/**
 * What a SER run has used of its pool: the pool pairs it self-labeled (each at most once), as bits
 * over the pool ({@link PoolBits}), and the prompts it built a West-of-N pair for (one per prompt
 * and run; by transcript, as {@link org.ser4j.data.Prompt#groups} groups them).
 */
public final class Taken {
  private final PoolBits pairs;
  private final Set<String> builtPrompts = new HashSet<>();

  /** Nothing taken, the bits on the heap. */
  public Taken() {
    this(PoolBits.onHeap());
  }

  private Taken(PoolBits pairs) {
    this.pairs = pairs;
  }

  /** Nothing self-labeled yet; the pool pairs {@code keys} (labeled by people) never selected. */
  public static Taken excluding(BitSet keys) {
    return excluding(keys, PoolBits.onHeap());
  }

  /** As {@link #excluding(BitSet)}, the bits held in {@code bits} (empty). */
  public static Taken excluding(BitSet keys, PoolBits bits) {
    Taken t = new Taken(bits);
    keys.stream().forEach(bits::set);
    return t;
  }

  public void add(SelfLabel s) {
    if (s.pair().built()) {
      builtPrompts.add(s.pair().prompt().transcript());
    } else {
      pairs.set(s.pair().key());
    }
  }

  public void addAll(List<SelfLabel> labels) {
    labels.forEach(this::add);
  }

  /** How many pool pairs were self-labeled (or labeled by people) so far. */
  public int count() {
    return pairs.count();
  }

  /**
   * The keys of the pool pairs self-labeled (or labeled by people) so far, as bits (a copy on the
   * heap): a pool of 10M pairs in 1.25 MB, however many are taken.
   */
  public BitSet bits() {
    return pairs.copy();
  }

  /** Whether pool pair {@code p} was self-labeled already. */
  public boolean has(UnlabeledPair p) {
    return pairs.get(p.key());
  }

  /** Whether a pair was built for {@code p}'s prompt already. */
  public boolean builtFor(UnlabeledPair p) {
    return builtPrompts.contains(p.prompt().transcript());
  }
}
