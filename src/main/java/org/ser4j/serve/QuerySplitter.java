package org.ser4j.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ser4j.data.Prompt;
import org.ser4j.data.Role;
import org.ser4j.data.Transcript;
import org.ser4j.data.Turn;
import org.ser4j.encoder.ResponseInput;

/**
 * Splits the full text an RLHF trainer sends (prompt and response in one string, as OpenRLHF's
 * remote reward protocol does) into the prompt and the response our encoder reads. In order:
 *
 * <ol>
 *   <li>the prompt the caller sent alongside ({@code "prompts"}), when the query starts with it;
 *   <li>HH-RLHF turns: the response is what follows the last "\n\nAssistant:";
 *   <li>chat templates: ChatML ({@code <|im_start|>assistant}) and Llama 3 ({@code
 *       <|start_header_id|>assistant<|end_header_id|>}), end-of-turn tokens stripped;
 *   <li>otherwise the whole text is the response to an empty prompt (counted in /metrics as {@code
 *       ser_unsplit_queries_total}).
 * </ol>
 */
public final class QuerySplitter {
  private static final Pattern CHATML =
      Pattern.compile(
          "<\\|im_start\\|>(system|user|assistant)\\s*\\n?(.*?)(?:<\\|im_end\\|>|$)",
          Pattern.DOTALL);
  private static final Pattern LLAMA3 =
      Pattern.compile(
          "<\\|start_header_id\\|>(system|user|assistant)<\\|end_header_id\\|>\\s*(.*?)(?:<\\|eot_id\\|>|$)",
          Pattern.DOTALL);
  private static final String HH_ASSISTANT = "\n\nAssistant:";

  /** A split query, and whether a known format split it. */
  public record Split(ResponseInput input, boolean recognized) {}

  private QuerySplitter() {}

  public static Split split(String query, String promptOrNull) {
    if (promptOrNull != null && !promptOrNull.isEmpty() && query.startsWith(promptOrNull)) {
      return new Split(
          new ResponseInput(promptOf(promptOrNull), clean(query.substring(promptOrNull.length()))),
          true);
    }
    int hh = query.lastIndexOf(HH_ASSISTANT);
    if (hh >= 0) {
      return new Split(
          new ResponseInput(
              promptOf(query.substring(0, hh)),
              query.substring(hh + HH_ASSISTANT.length()).strip()),
          true);
    }
    for (Pattern template : new Pattern[] {CHATML, LLAMA3}) {
      List<Turn> turns = new ArrayList<>();
      Matcher m = template.matcher(query);
      while (m.find()) {
        Role role = Role.parse(m.group(1)).orElse(Role.USER);
        turns.add(new Turn(role, m.group(2).strip()));
      }
      if (turns.size() >= 2 && turns.get(turns.size() - 1).role() == Role.ASSISTANT) {
        return new Split(
            new ResponseInput(
                new Prompt(turns.subList(0, turns.size() - 1)),
                turns.get(turns.size() - 1).content()),
            true);
      }
    }
    return new Split(new ResponseInput(Prompt.of(""), query.strip()), false);
  }

  /** A prompt string: HH turns when it has them, else one user turn. */
  static Prompt promptOf(String text) {
    Transcript.Parsed parsed = Transcript.parse(text);
    if (!parsed.turns().isEmpty()) {
      List<Turn> turns = new ArrayList<>();
      if (!parsed.preamble().isBlank()) {
        turns.add(Turn.user(parsed.preamble().strip()));
      }
      turns.addAll(parsed.turns());
      if (turns.get(turns.size() - 1).role() == Role.ASSISTANT
          && turns.get(turns.size() - 1).content().isEmpty()) {
        turns.remove(turns.size() - 1); // a prompt that ends in an open "Assistant:" turn
      }
      if (!turns.isEmpty()) {
        return new Prompt(turns);
      }
    }
    return Prompt.of(text.strip());
  }

  private static String clean(String response) {
    return response.replace("<|im_end|>", "").replace("<|eot_id|>", "").replace("</s>", "").strip();
  }
}
