package org.ser4j.data;

/**
 * A record that cannot be turned into preference pairs. The message names file, line and field and
 * says what was expected; {@link #reason()} is a short code by which skipped records are counted.
 */
public class BadRecordException extends RuntimeException {
  private final SourceRef source;
  private final String field;
  private final String reason;
  private final String detail;

  public BadRecordException(SourceRef source, String field, String reason, String detail) {
    super(source + ": field '" + field + "': " + detail + " [" + reason + "]");
    this.source = source;
    this.field = field;
    this.reason = reason;
    this.detail = detail;
  }

  /** What was expected, without the location. */
  public String detail() {
    return detail;
  }

  public SourceRef source() {
    return source;
  }

  public String field() {
    return field;
  }

  /** A short, stable code such as {@code missing-field} or {@code empty-response}. */
  public String reason() {
    return reason;
  }
}
