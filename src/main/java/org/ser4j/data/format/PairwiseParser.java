package org.ser4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;
import org.ser4j.data.Role;

/**
 * Pairwise judgments: {@code {prompt, response_a, response_b, preferred: "a" | "b"}}, the file `ser
 * ask` writes once a person has filled in {@code preferred}, and `ser label` writes. A record whose
 * {@code preferred} is "tie", "skip", empty or null says nothing about preference and gives no
 * pair.
 */
public final class PairwiseParser implements RecordParser {
  @Override
  public List<PreferencePair> parse(JsonNode record, Fields fields, ReadOptions options) {
    Prompt prompt =
        new Prompt(
            TrlParser.turns(
                fields.require(record, "prompt", "prompt"), "prompt", Role.USER, fields));
    String a = fields.string(record, "response_a", "response_a", true);
    String b = fields.string(record, "response_b", "response_b", true);
    JsonNode p = record.path("preferred");
    String which = p.isTextual() ? p.textValue().strip().toLowerCase(Locale.ROOT) : "";
    boolean aWins;
    switch (which) {
      case "a" -> aWins = true;
      case "b" -> aWins = false;
      case "tie", "skip", "" -> {
        return List.of(); // a tie, a skip, or not answered yet: nothing to learn
      }
      default -> {
        if (!p.isNull() && !p.isMissingNode()) {
          throw fields.bad(
              "preferred", "wrong-type", "expected \"a\", \"b\", \"tie\" or \"skip\", got " + p);
        }
        return List.of(); // not answered yet
      }
    }
    return List.of(Pairs.make(record, prompt, aWins ? a : b, aWins ? b : a, fields));
  }
}
