package org.ser4j.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The context a response answers: one or more turns, the last usually the user's. Multi-turn
 * prompts keep every turn so that an encoder can decide how much of the history it sees.
 */
public record Prompt(List<Turn> turns) implements java.io.Serializable {
  public Prompt {
    turns = List.copyOf(turns);
    if (turns.isEmpty()) {
      throw new IllegalArgumentException("a prompt needs at least one turn");
    }
  }

  public static Prompt of(String userText) {
    return new Prompt(List.of(Turn.user(userText)));
  }

  /** More than one turn: a conversation, not a single question. */
  public boolean isMultiTurn() {
    return turns.size() > 1;
  }

  /** The last turn's text: the question the response answers directly. */
  public String lastTurn() {
    return turns.get(turns.size() - 1).content();
  }

  /**
   * The prompt as an HH-RLHF style transcript ("Human: ...\n\nAssistant: ..."), a single string
   * that keeps turn boundaries; also the key by which splits keep a prompt on one side.
   */
  public String transcript() {
    StringBuilder out = new StringBuilder();
    for (Turn turn : turns) {
      if (out.length() > 0) {
        out.append("\n\n");
      }
      out.append(label(turn.role())).append(": ").append(turn.content());
    }
    return out.toString();
  }

  private static String label(Role role) {
    switch (role) {
      case SYSTEM:
        return "System";
      case USER:
        return "Human";
      default:
        return "Assistant";
    }
  }

  public int length() {
    int chars = 0;
    for (Turn turn : turns) {
      chars += turn.content().length();
    }
    return chars;
  }

  /**
   * Positions of {@code items} grouped by their prompt (its transcript: the same conversation is
   * the same prompt), groups in order of first appearance.
   */
  public static <T> List<List<Integer>> groups(List<T> items, Function<T, Prompt> prompt) {
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      groups
          .computeIfAbsent(prompt.apply(items.get(i)).transcript(), k -> new ArrayList<>())
          .add(i);
    }
    return new ArrayList<>(groups.values());
  }
}
