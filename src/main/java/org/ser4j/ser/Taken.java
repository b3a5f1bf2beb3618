package org.ser4j.ser;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ser4j.data.UnlabeledPair;

/**
 * What a SER run has used of its pool: the pool pairs it self-labeled (each at most once), and the
 * prompts it built a West-of-N pair for (one per prompt and run).
 */
final class Taken {
  private final BitSet pairs = new BitSet();
  private final Set<String> builtPrompts = new HashSet<>();

  void add(SelfLabel s) {
    if (s.pair().built()) {
      builtPrompts.add(WestOfN.promptKey(s.pair().prompt()));
    } else {
      pairs.set(s.pair().key());
    }
  }

  void addAll(List<SelfLabel> labels) {
    labels.forEach(this::add);
  }

  /** The pool pairs not yet self-labeled, in pool order. */
  List<UnlabeledPair> remaining(List<UnlabeledPair> pool) {
    List<UnlabeledPair> left = new ArrayList<>();
    for (UnlabeledPair p : pool) {
      if (!pairs.get(p.key())) {
        left.add(p);
      }
    }
    return left;
  }

  /** The pool pairs (taken or not) of the prompts no pair was built for yet, in pool order. */
  List<UnlabeledPair> unbuilt(List<UnlabeledPair> pool) {
    List<UnlabeledPair> open = new ArrayList<>();
    for (UnlabeledPair p : pool) {
      if (!builtPrompts.contains(WestOfN.promptKey(p.prompt()))) {
        open.add(p);
      }
    }
    return open;
  }
}
