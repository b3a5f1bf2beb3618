package org.ser4j.data;

import java.util.Objects;

/** One turn of a conversation. */
public record Turn(Role role, String content) implements java.io.Serializable {
  public Turn {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
  }

  public static Turn user(String content) {
    return new Turn(Role.USER, content);
  }

  public static Turn assistant(String content) {
    return new Turn(Role.ASSISTANT, content);
  }
}
