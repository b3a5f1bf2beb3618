package org.ser4j.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes pairs as TRL-style JSON Lines ({@code id}, {@code prompt}, {@code chosen}, {@code
 * rejected}); a single-turn prompt is a string, a multi-turn one a list of messages, so the file
 * reads back into the same pairs. A name ending in .gz is gzip-compressed.
 */
public final class PairWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PairWriter() {}

  public static void write(Path target, List<PreferencePair> pairs) throws IOException {
    AtomicFiles.write(
        target,
        raw -> {
          OutputStream out = target.toString().endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) : raw;
          for (PreferencePair pair : pairs) {
            out.write(JSON.writeValueAsBytes(toJson(pair)));
            out.write('\n');
          }
          if (out instanceof GZIPOutputStream gz) {
            gz.finish();
          }
        });
  }

  public static ObjectNode toJson(PreferencePair pair) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", pair.id());
    if (pair.prompt().isMultiTurn()) {
      ArrayNode turns = node.putArray("prompt");
      for (Turn turn : pair.prompt().turns()) {
        turns.addObject().put("role", turn.role().name().toLowerCase(java.util.Locale.ROOT)).put("content", turn.content());
      }
    } else {
      node.put("prompt", pair.prompt().lastTurn());
    }
    node.put("chosen", pair.chosen());
    node.put("rejected", pair.rejected());
    return node;
  }
}
