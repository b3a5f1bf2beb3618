package org.ser4j.ser.select;

import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.model.learn.SelfLabel;

/**
 * What a SER run has used of its pool: the pool pairs it self-labeled (each at most once), and the
 * prompts it built a West-of-N pair for (one per prompt and run; by transcript, as {@link
 * org.ser4j.data.Prompt#groups} groups them).
 */
public final class Taken {
  private final BitSet pairs = new BitSet();
  private final Set<String> builtPrompts = new HashSet<>();

  public Taken() {}

  /** Nothing self-labeled yet; the pool pairs {@code keys} (labeled by people) never selected. */
  public static Taken excluding(BitSet keys) {
    Taken t = new Taken();
    t.pairs.or(keys);
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

  /** The keys of the pool pairs self-labeled (or labeled by people) so far. */
  public java.util.stream.IntStream keys() {
    return pairs.stream();
  }

  /**
   * The keys of the pool pairs self-labeled (or labeled by people) so far, as bits (a copy): a pool
   * of 10M pairs in 1.25 MB, however many are taken.
   */
  public BitSet bits() {
    return (BitSet) pairs.clone();
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
