package org.ser4j.ser.select;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The learning status a loop's selections show (report.json's {@code status}): the seed-only loop;
 * "good-bad" when most selected pairs pass the good-vs-bad rule, else "difference"; "none" when
 * nothing was selected; "pair-confidence" for the calibrated rule, which has no stages;
 * "labels-added" for a loop that retrained after people added labels to the seed (no selection).
 */
public enum LoopStatus {
  SEED("seed"),
  GOOD_BAD("good-bad"),
  DIFFERENCE("difference"),
  NONE("none"),
  PAIR_CONFIDENCE("pair-confidence"),
  LABELS_ADDED("labels-added");

  private final String name;

  LoopStatus(String name) {
    this.name = name;
  }

  @JsonValue
  @Override
  public String toString() {
    return name;
  }

  @JsonCreator
  public static LoopStatus of(String name) {
    for (LoopStatus s : values()) {
      if (s.name.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown loop status '" + name + "'");
  }
}
