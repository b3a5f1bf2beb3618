package org.ser4j.data.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.ser4j.data.Prompt;
import org.ser4j.data.Role;
import org.ser4j.data.Turn;
import org.ser4j.util.Json;

/**
 * Preference records in the formats RL trainers read directly.
 *
 * <ul>
 *   <li>{@code trl}: TRL's preference format (DPOTrainer, RewardTrainer) with an explicit prompt:
 *       {@code prompt}, {@code chosen}, {@code rejected} as strings for a single-turn prompt, and
 *       in the conversational form (lists of {@code {role, content}} messages: the prompt's turns,
 *       and one assistant message each for chosen and rejected) where the prompt has several turns.
 *   <li>{@code openrlhf}: OpenRLHF's reward-model and DPO datasets with {@code --chosen_key chosen
 *       --rejected_key rejected --apply_chat_template}: {@code chosen} and {@code rejected} are
 *       whole conversations (the prompt's turns, then the assistant's answer).
 * </ul>
 *
 * Both carry a {@code ser4j} object saying where the label came from: {@code source} "human" or
 * "self-labeled", and for self-labels the SER loop and the confidence of the selection.
 */
public final class PreferenceExport {

  public enum Format {
    TRL,
    OPENRLHF;

    public static Format parse(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown export format '" + name + "'; expected trl or openrlhf");
      }
    }
  }

  /** Where a label came from: a human, or SER's RM in {@code loop} with {@code confidence}. */
  public record Origin(String id, boolean human, int loop, double confidence) {
    public static Origin human(String id) {
      return new Origin(id, true, 0, Double.NaN);
    }
  }

  private PreferenceExport() {}

  public static ObjectNode record(
      Format format, Prompt prompt, String chosen, String rejected, Origin origin) {
    ObjectNode n = Json.LINE.createObjectNode();
    if (format == Format.TRL) {
      if (prompt.isMultiTurn()) {
        n.set("prompt", messages(prompt));
        n.set("chosen", Json.LINE.createArrayNode().add(message(Role.ASSISTANT, chosen)));
        n.set("rejected", Json.LINE.createArrayNode().add(message(Role.ASSISTANT, rejected)));
      } else {
        n.put("prompt", prompt.lastTurn());
        n.put("chosen", chosen);
        n.put("rejected", rejected);
      }
    } else {
      n.set("chosen", messages(prompt).add(message(Role.ASSISTANT, chosen)));
      n.set("rejected", messages(prompt).add(message(Role.ASSISTANT, rejected)));
    }
    ObjectNode o = n.putObject("ser4j");
    o.put("id", origin.id());
    o.put("source", origin.human() ? "human" : "self-labeled");
    if (!origin.human()) {
      o.put("loop", origin.loop());
      o.put("confidence", origin.confidence());
    }
    return n;
  }

  private static ArrayNode messages(Prompt prompt) {
    ArrayNode a = Json.LINE.createArrayNode();
    for (Turn t : prompt.turns()) {
      a.add(message(t.role(), t.content()));
    }
    return a;
  }

  private static ObjectNode message(Role role, String content) {
    return Json.LINE
        .createObjectNode()
        .put("role", role.name().toLowerCase(Locale.ROOT))
        .put("content", content);
  }
}
