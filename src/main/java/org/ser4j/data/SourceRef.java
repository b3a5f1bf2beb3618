package org.ser4j.data;

/** Where a record came from: a file and a 1-based line number. */
public record SourceRef(String file, long line) {
  @Override
  public String toString() {
    return file + ":" + line;
  }
}
