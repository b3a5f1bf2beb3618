package org.ser4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Role;
import org.ser4j.data.Turn;

/**
 * TRL's preference formats. Standard: {@code prompt}, {@code chosen}, {@code rejected} as strings.
 * Conversational: each a list of {role, content} messages; without {@code prompt}, the shared
 * history of {@code chosen} and {@code rejected} is the prompt (TRL's implicit prompt).
 */
public final class TrlParser implements RecordParser {
  @Override
  public List<PreferencePair> parse(JsonNode record, Fields fields, ReadOptions options) {
    fields.require(record, "chosen", "chosen");
    fields.require(record, "rejected", "rejected");
    List<Turn> promptTurns = new ArrayList<>();
    if (record.has("prompt") && !record.get("prompt").isNull()) {
      promptTurns.addAll(turns(record.get("prompt"), "prompt", Role.USER, fields));
      if (promptTurns.stream().allMatch(t -> t.content().isBlank())) {
        throw fields.bad("prompt", "empty-prompt", "expected non-empty text, got only whitespace");
      }
    }
    List<Turn> chosen = new ArrayList<>(promptTurns);
    chosen.addAll(turns(record.get("chosen"), "chosen", Role.ASSISTANT, fields));
    List<Turn> rejected = new ArrayList<>(promptTurns);
    rejected.addAll(turns(record.get("rejected"), "rejected", Role.ASSISTANT, fields));
    Conversations.Split split =
        Conversations.splitAtFinalReply(chosen, rejected, "chosen", "rejected", fields);
    return List.of(Pairs.make(record, split.prompt(), split.chosen(), split.rejected(), fields));
  }

  /** A string is one turn by {@code plainRole}; an array is a list of messages. */
  static List<Turn> turns(JsonNode value, String path, Role plainRole, Fields fields) {
    if (value.isTextual()) {
      return List.of(new Turn(plainRole, value.textValue()));
    }
    if (!value.isArray()) {
      throw fields.bad(
          path,
          "wrong-type",
          "expected a string or a list of {role, content} messages, got " + Fields.typeOf(value));
    }
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      String at = path + "[" + i + "]";
      JsonNode message = value.get(i);
      if (!message.isObject()) {
        throw fields.bad(
            at, "wrong-type", "expected a {role, content} message, got " + Fields.typeOf(message));
      }
      String roleName = fields.string(message, "role", at + ".role", true);
      Role role =
          Role.parse(roleName)
              .orElseThrow(
                  () ->
                      fields.bad(
                          at + ".role",
                          "bad-role",
                          "expected one of system, user, assistant; got '" + roleName + "'"));
      turns.add(new Turn(role, fields.string(message, "content", at + ".content", false)));
    }
    if (turns.isEmpty()) {
      throw fields.bad(
          path,
          "empty-" + (path.equals("prompt") ? "prompt" : "response"),
          "expected at least one message, got an empty list");
    }
    return turns;
  }
}
