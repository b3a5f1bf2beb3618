package org.ser4j.data;

/** A whole file cannot be read (missing, truncated gzip, I/O error): no skipping helps. */
public class DataFileException extends RuntimeException {
  public DataFileException(String message, Throwable cause) {
    super(message, cause);
  }

  public DataFileException(String message) {
    super(message);
  }
}
