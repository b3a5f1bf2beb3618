package org.ser4j.label;

import java.util.Locale;

/** What an annotator said about a pair, as the label file writes it in {@code preferred}. */
public enum Choice {
  A,
  B,
  TIE,
  SKIP;

  /** "a", "b", "tie" or "skip": the pairwise format's {@code preferred}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Counts toward a pair's labels (a skip does not: the pair still needs someone). */
  public boolean isLabel() {
    return this != SKIP;
  }

  public static Choice of(String value) {
    for (Choice c : values()) {
      if (c.value().equals(value)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "expected \"a\", \"b\", \"tie\" or \"skip\", got \"" + value + "\"");
  }
}
