package org.ser4j.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A human (or judge) preference: for {@code prompt}, {@code chosen} was preferred over {@code
 * rejected}. The id is stable across runs: the record's own id where the file has one, else a hash
 * of the content.
 */
public record PreferencePair(
    String id, Prompt prompt, String chosen, String rejected, SourceRef source) {

  public PreferencePair {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(chosen, "chosen");
    Objects.requireNonNull(rejected, "rejected");
    Objects.requireNonNull(source, "source");
  }

  /** Both responses are the same text, so the pair says nothing about preference. */
  public boolean isTie() {
    return chosen.equals(rejected);
  }

  /** A content id: the first 16 hex digits of SHA-256 over prompt, chosen and rejected. */
  /**
   * SHA-256 (first 16 hex digits) over the pairs' ids and texts, in order: names a training set in
   * provenance.
   */
  public static String fingerprint(java.util.List<PreferencePair> pairs) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (PreferencePair p : pairs) {
        for (String s : new String[] {p.id(), p.prompt().transcript(), p.chosen(), p.rejected()}) {
          sha.update(s.getBytes(StandardCharsets.UTF_8));
          sha.update((byte) 0);
        }
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  public static String contentId(Prompt prompt, String chosen, String rejected) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(prompt.transcript().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(chosen.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(rejected.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
