package org.ser4j.label;

import java.time.Instant;

/**
 * One annotator's answer on one queued pair.
 *
 * @param aLeft whether response_a was shown on the left (the order is drawn per pair and annotator,
 *     and recorded so that position bias can be measured)
 */
public record Annotation(String id, String annotator, Choice choice, boolean aLeft, Instant time) {
  /** Whether the annotator picked the answer shown on the left; null for a tie or a skip. */
  public Boolean pickedLeft() {
    return switch (choice) {
      case A -> aLeft;
      case B -> !aLeft;
      default -> null;
    };
  }
}
