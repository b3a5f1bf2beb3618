package org.ser4j.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A shared secret that callers send as {@code Authorization: Bearer KEY} (or {@code X-API-Key:
 * KEY}, as OpenRLHF's reward server also accepts). Only a SHA-256 digest is kept and compared with
 * {@link MessageDigest#isEqual}, which takes the same time wherever the bytes differ; comparing
 * digests also hides the key's length. {@link #toString} never shows the key.
 */
public final class ApiKey {
  private final byte[] digest;

  private ApiKey(byte[] digest) {
    this.digest = digest;
  }

  public static ApiKey of(String key) {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("an API key must not be empty");
    }
    return new ApiKey(sha256(key));
  }

  /** The key in {@code file}: its content without surrounding whitespace (a trailing newline). */
  public static ApiKey read(Path file) throws IOException {
    String key;
    try {
      key = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IOException("cannot read the API key file " + file + ": " + e.getMessage(), e);
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException(file + ": the API key file is empty");
    }
    if (key.contains("\n")) {
      throw new IllegalArgumentException(file + ": expected one line, the key");
    }
    return of(key);
  }

  /** Whether either header carries this key. */
  public boolean accepts(String authorization, String xApiKey) {
    boolean ok = false;
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ok = MessageDigest.isEqual(digest, sha256(authorization.substring(7).strip()));
    }
    if (xApiKey != null) {
      ok |= MessageDigest.isEqual(digest, sha256(xApiKey.strip()));
    }
    return ok;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "ApiKey[hidden]";
  }
}
