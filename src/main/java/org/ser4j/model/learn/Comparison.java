package org.ser4j.model.learn;

import org.ser4j.data.GoldLabels;
import org.ser4j.data.Prompt;
import org.ser4j.data.UnlabeledPair;

/**
 * Two answers to one prompt that the RM may label: a pool pair's two answers, or, built by {@code
 * WestOfN}, answers taken from two different pool pairs of the same prompt.
 */
public record Comparison(Answer first, Answer second) {
  /** One answer of a pool pair: its first or its second. */
  public record Answer(UnlabeledPair pair, boolean isFirst) {
    public String text() {
      return isFirst ? pair.first() : pair.second();
    }

    /** The other answer of the same pool pair. */
    public Answer other() {
      return new Answer(pair, !isFirst);
    }
  }

  /** A pool pair's own two answers, in its order. */
  public static Comparison of(UnlabeledPair pair) {
    return new Comparison(new Answer(pair, true), new Answer(pair, false));
  }

  /** Whether the answers come from two pool pairs (a West-of-N pair) rather than one. */
  public boolean built() {
    return first.pair().key() != second.pair().key();
  }

  /** The pool pair's key; for a built comparison, the key of the first answer's pair. */
  public int key() {
    return first.pair().key();
  }

  /** The pool pair's id; for a built comparison, both pairs' ids joined by "+". */
  public String id() {
    return built() ? first.pair().id() + "+" + second.pair().id() : first.pair().id();
  }

  public Prompt prompt() {
    return first.pair().prompt();
  }

  /**
   * The hidden human label where the pool decides it, or null (always for a pool nobody judged): a
   * pool pair's own label; for a built comparison, the order two labels imply through an answer
   * both source pairs share (first > shared > second, or the reverse). ({@code WestOfN} builds no
   * pair that one pool pair already compares.) Evaluation only, as {@link GoldLabels} is.
   */
  public Boolean goldFirstPreferred(GoldLabels gold) {
    if (!gold.known()) {
      return null; // a real pool: nobody has judged it
    }
    if (!built()) {
      return gold.firstPreferred(first.pair());
    }
    if (!first.other().text().equals(second.other().text())) {
      return null;
    }
    boolean firstBeatsShared = gold.firstPreferred(first.pair()) == first.isFirst();
    boolean secondBeatsShared = gold.firstPreferred(second.pair()) == second.isFirst();
    return firstBeatsShared == secondBeatsShared ? null : firstBeatsShared;
  }
}
