package org.ser4j.data.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;
import org.ser4j.data.Turn;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Json;

/**
 * Writes pairs as TRL-style JSON Lines ({@code id}, {@code prompt}, {@code chosen}, {@code
 * rejected}); a single-turn prompt is a string, a multi-turn one a list of messages, so the file
 * reads back into the same pairs. A name ending in .gz is gzip-compressed.
 */
public final class PairWriter {

  private PairWriter() {}

  public static void write(Path target, List<PreferencePair> pairs) throws IOException {
    AtomicFiles.writeGzipByName(
        target,
        out -> {
          for (PreferencePair pair : pairs) {
            out.write(Json.LINE.writeValueAsBytes(toJson(pair)));
            out.write('\n');
          }
        });
  }

  /**
   * An unlabeled pool as {@link UnlabeledReader} reads it: {id, prompt, response_a, response_b},
   * the answers in the pool's order, which says nothing about preference.
   */
  public static void writeUnlabeled(Path target, List<org.ser4j.data.UnlabeledPair> pairs)
      throws IOException {
    AtomicFiles.writeGzipByName(
        target,
        out -> {
          for (org.ser4j.data.UnlabeledPair pair : pairs) {
            ObjectNode node = Json.LINE.createObjectNode();
            node.put("id", pair.id());
            putPrompt(node, pair.prompt());
            node.put("response_a", pair.first());
            node.put("response_b", pair.second());
            out.write(Json.LINE.writeValueAsBytes(node));
            out.write('\n');
          }
        });
  }

  /** A single-turn prompt as a string, a multi-turn one as a list of {role, content} messages. */
  public static void putPrompt(ObjectNode node, Prompt prompt) {
    if (prompt.isMultiTurn()) {
      ArrayNode turns = node.putArray("prompt");
      for (Turn turn : prompt.turns()) {
        turns
            .addObject()
            .put("role", turn.role().name().toLowerCase(java.util.Locale.ROOT))
            .put("content", turn.content());
      }
    } else {
      node.put("prompt", prompt.lastTurn());
    }
  }

  public static ObjectNode toJson(PreferencePair pair) {
    ObjectNode node = Json.LINE.createObjectNode();
    node.put("id", pair.id());
    putPrompt(node, pair.prompt());
    node.put("chosen", pair.chosen());
    node.put("rejected", pair.rejected());
    return node;
  }
}
