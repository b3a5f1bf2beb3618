package org.ser4j.ser;

import org.ser4j.data.UnlabeledPair;

/**
 * A pool pair the RM labeled itself: the higher-scored answer is taken as preferred (the pair is
 * swapped where the second scored higher).
 */
public record SelfLabel(
    UnlabeledPair pair, boolean firstPreferred, double s1, double s2, int loop) {
  public static SelfLabel of(UnlabeledPair pair, double s1, double s2, int loop) {
    return new SelfLabel(pair, s1 >= s2, s1, s2, loop);
  }

  public String chosen() {
    return firstPreferred ? pair.first() : pair.second();
  }

  public String rejected() {
    return firstPreferred ? pair.second() : pair.first();
  }
}
