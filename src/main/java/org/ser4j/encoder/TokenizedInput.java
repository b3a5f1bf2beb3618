package org.ser4j.encoder;

/** Token ids and token type ids of one sequence, special tokens included. */
public record TokenizedInput(long[] ids, long[] typeIds) {
  public int length() {
    return ids.length;
  }
}
