package org.ser4j.data.format;

import java.util.List;
import org.ser4j.data.Prompt;
import org.ser4j.data.Role;
import org.ser4j.data.Transcript;
import org.ser4j.data.Turn;

/** Splitting whole conversations into a shared prompt and two final responses. */
public final class Conversations {
  private Conversations() {}

  /** A prompt with the two final assistant replies that differ. */
  record Split(Prompt prompt, String chosen, String rejected) {}

  /**
   * Parses an HH-RLHF transcript ("\n\nHuman: ...\n\nAssistant: ...") into turns. Text before the
   * first marker is an error: it belongs to no speaker.
   */
  static List<Turn> parseTranscript(String transcript, String path, Fields fields) {
    Transcript.Parsed parsed = Transcript.parse(transcript);
    if (parsed.turns().isEmpty()) {
      throw fields.bad(
          path,
          "bad-transcript",
          "expected a transcript with '\\n\\nHuman:' and '\\n\\nAssistant:' turns, found no turn marker");
    }
    if (!parsed.preamble().isBlank()) {
      throw fields.bad(
          path, "bad-transcript", "expected the transcript to start with '\\n\\nHuman:'");
    }
    return parsed.turns();
  }

  /**
   * Both conversations must end with an assistant turn and agree on every turn before it; that
   * shared history is the prompt. A disagreement is reported, not papered over.
   */
  static Split splitAtFinalReply(
      List<Turn> chosen,
      List<Turn> rejected,
      String chosenPath,
      String rejectedPath,
      Fields fields) {
    requireFinalAssistant(chosen, chosenPath, fields);
    requireFinalAssistant(rejected, rejectedPath, fields);
    List<Turn> history = chosen.subList(0, chosen.size() - 1);
    List<Turn> otherHistory = rejected.subList(0, rejected.size() - 1);
    if (!history.equals(otherHistory)) {
      int turn = 0;
      while (turn < Math.min(history.size(), otherHistory.size())
          && history.get(turn).equals(otherHistory.get(turn))) {
        turn++;
      }
      throw fields.bad(
          rejectedPath,
          "prompt-mismatch",
          "expected the same conversation as '"
              + chosenPath
              + "' before the final assistant reply,"
              + " but they differ from turn "
              + (turn + 1)
              + " ("
              + history.size()
              + " vs "
              + otherHistory.size()
              + " turns before the reply)");
    }
    if (history.isEmpty()) {
      throw fields.bad(
          chosenPath,
          "empty-prompt",
          "expected at least one turn before the final assistant reply");
    }
    String chosenReply = chosen.get(chosen.size() - 1).content();
    String rejectedReply = rejected.get(rejected.size() - 1).content();
    if (chosenReply.isBlank()) {
      throw fields.bad(
          chosenPath,
          "empty-response",
          "expected a non-empty final assistant reply, got only whitespace");
    }
    if (rejectedReply.isBlank()) {
      throw fields.bad(
          rejectedPath,
          "empty-response",
          "expected a non-empty final assistant reply, got only whitespace");
    }
    return new Split(new Prompt(history), chosenReply, rejectedReply);
  }

  private static void requireFinalAssistant(List<Turn> turns, String path, Fields fields) {
    if (turns.isEmpty() || turns.get(turns.size() - 1).role() != Role.ASSISTANT) {
      throw fields.bad(
          path, "no-final-reply", "expected the conversation to end with an assistant turn");
    }
  }
}
