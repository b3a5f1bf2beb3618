package org.ser4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.ser4j.data.PreferencePair;

/** HH-RLHF: two transcripts that share every turn but the last assistant reply. */
public final class HhRlhfParser implements RecordParser {
  @Override
  public List<PreferencePair> parse(JsonNode record, Fields fields, ReadOptions options) {
    String chosen = fields.string(record, "chosen", "chosen", false);
    String rejected = fields.string(record, "rejected", "rejected", false);
    Conversations.Split split =
        Conversations.splitAtFinalReply(
            Conversations.parseTranscript(chosen, "chosen", fields),
            Conversations.parseTranscript(rejected, "rejected", fields),
            "chosen",
            "rejected",
            fields);
    return List.of(Pairs.make(record, split.prompt(), split.chosen(), split.rejected(), fields));
  }
}
