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
 * and run; by transcript, as {@link org.ser4j.data.Prompt#groups} groups them). A pool kept
 * elsewhere holds no transcripts on the driver: there a prompt was built for where one of its pool
 * pairs gave an answer to a built pair ({@link #builtFrom}), which is the same test, since a built
 * pair's answers come from pairs of its own prompt.
 */
public final class Taken {
  private final PoolBits pairs;
  private final PoolBits builtFrom; // the pool pairs whose answers a built pair took
  private final Set<String> builtPrompts = new HashSet<>();

  /** Nothing taken, the bits on the heap. */
  public Taken() {
    this(PoolBits.onHeap(), PoolBits.onHeap());
  }

  private Taken(PoolBits pairs, PoolBits builtFrom) {
    this.pairs = pairs;
    this.builtFrom = builtFrom;
  }

  /** Nothing self-labeled yet; the pool pairs {@code keys} (labeled by people) never selected. */
  public static Taken excluding(BitSet keys) {
    return excluding(keys, PoolBits.onHeap(), PoolBits.onHeap());
  }

  /**
   * As {@link #excluding(BitSet)}, the pairs' bits held in {@code bits} and the built pairs'
   * sources' in {@code builtFrom} (both empty).
   */
  public static Taken excluding(BitSet keys, PoolBits bits, PoolBits builtFrom) {
    Taken t = new Taken(bits, builtFrom);
    keys.stream().forEach(bits::set);
    return t;
  }

  public void add(SelfLabel s) {
    if (s.pair().built()) {
      builtFrom.set(s.pair().first().pair().key());
      builtFrom.set(s.pair().second().pair().key());
      if (s.pair().prompt() != null) { // a pool kept elsewhere gives the driver keys alone
        builtPrompts.add(s.pair().prompt().transcript());
      }
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

  /**
   * The keys of the pool pairs whose answers a built (West-of-N) pair took so far, as bits (a copy
   * on the heap): a prompt with one of them was built for.
   */
  public BitSet builtFromBits() {
    return builtFrom.copy();
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
