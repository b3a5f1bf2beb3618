package org.ser4j.cli;

/**
 * Options whose default depends on another choice ("auto", decided by the model family) or take a
 * number: the one parser of "auto or a number" for every such option.
 */
final class AutoOr {
  private AutoOr() {}

  /** {@code auto} when {@code value} is "auto", else the number; a clear error names the option. */
  static double number(String option, String value, double auto) {
    if (value.equals("auto")) {
      return auto;
    }
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be auto or a number, got " + value);
    }
  }
}
