package org.ser4j.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A pool pair's identity by content: the first 64 bits of the SHA-256 of its prompt and its two
 * answers, in either order. The same pair has the same id in every file, run and process, so pools
 * read elsewhere (a cluster's executors) are matched against the labeled and test pairs, and the
 * selected pairs named, by id alone. (Two of 100 million distinct pairs share an id with
 * probability about 3e-4.)
 */
public final class ContentId {
  private ContentId() {}

  /** The id of a comparison of answers {@code a} and {@code b} to {@code prompt}. */
  public static long of(Prompt prompt, String a, String b) {
    String lo = a.compareTo(b) <= 0 ? a : b;
    String hi = lo == a ? b : a;
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
    for (String part : new String[] {prompt.transcript(), lo, hi}) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array()); // parts cannot run together
      sha.update(bytes);
    }
    return ByteBuffer.wrap(sha.digest()).getLong();
  }

  /**
   * One text's identity by content (a prompt's transcript, an answer): the first 64 bits of its
   * SHA-256, so texts read elsewhere are grouped and told apart by number.
   */
  public static long ofText(String text) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
    return ByteBuffer.wrap(sha.digest(text.getBytes(StandardCharsets.UTF_8))).getLong();
  }

  /** The id as 16 hex digits, as selected.jsonl names it. */
  public static String hex(long id) {
    return String.format("%016x", id);
  }
}
