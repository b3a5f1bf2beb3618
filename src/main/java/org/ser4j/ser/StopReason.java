package org.ser4j.ser;

/**
 * Why a SER run stopped: its loop budget ran out, a loop selected fewer new pairs than the minimum,
 * or the judged accuracy fell below an earlier loop's. {@link #toString()} is report.json's {@code
 * stop_reason}.
 */
public record StopReason(Kind kind, int selected, int minNew) {
  public enum Kind {
    MAX_LOOPS,
    FEW_NEW,
    VALIDATION_FELL
  }

  public static final StopReason MAX_LOOPS = new StopReason(Kind.MAX_LOOPS, 0, 0);
  public static final StopReason VALIDATION_FELL = new StopReason(Kind.VALIDATION_FELL, 0, 0);

  public static StopReason fewNew(int selected, int minNew) {
    return new StopReason(Kind.FEW_NEW, selected, minNew);
  }

  /** Reads report.json's {@code stop_reason}. */
  public static StopReason parse(String text) {
    if (text.equals("max-loops")) {
      return MAX_LOOPS;
    }
    if (text.equals("validation-fell")) {
      return VALIDATION_FELL;
    }
    var m = java.util.regex.Pattern.compile("few-new \\((\\d+) < (\\d+)\\)").matcher(text);
    if (m.matches()) {
      return fewNew(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }
    throw new IllegalArgumentException("unknown stop reason '" + text + "'");
  }

  @Override
  public String toString() {
    return switch (kind) {
      case MAX_LOOPS -> "max-loops";
      case VALIDATION_FELL -> "validation-fell";
      case FEW_NEW -> "few-new (" + selected + " < " + minNew + ")";
    };
  }
}
