package org.ser4j.data;

import java.util.Locale;
import java.util.Optional;

/** Who speaks a turn of a conversation. */
public enum Role {
  SYSTEM,
  USER,
  ASSISTANT;

  /** Maps the role names used by chat datasets (OpenAI, ShareGPT, HH) to a role, if known. */
  public static Optional<Role> parse(String name) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "system":
        return Optional.of(SYSTEM);
      case "user":
      case "human":
      case "prompter":
        return Optional.of(USER);
      case "assistant":
      case "gpt":
      case "bot":
      case "model":
        return Optional.of(ASSISTANT);
      default:
        return Optional.empty();
    }
  }
}
