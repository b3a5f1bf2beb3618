package org.ser4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;

/**
 * UltraFeedback (openbmb/UltraFeedback): {@code instruction} (or {@code prompt}) with {@code
 * completions}, each a {@code response} with an {@code overall_score} (or {@code score}, {@code
 * rating}, {@code fine-grained_score}).
 */
public final class UltraFeedbackParser implements RecordParser {
  private static final String[] TEXT = {"response", "text"};
  private static final String[] RATING = {"overall_score", "score", "rating", "fine-grained_score"};

  @Override
  public List<PreferencePair> parse(JsonNode record, Fields fields, ReadOptions options) {
    String promptField = Fields.firstPresent(record, "instruction", "prompt");
    String prompt =
        fields.string(
            record,
            promptField != null ? promptField : "instruction",
            promptField != null ? promptField : "instruction",
            true);
    String id = Fields.idOrNull(record, "id");
    return RatedResponses.pairs(
        id,
        Prompt.of(prompt),
        fields.array(record, "completions", "completions"),
        "completions",
        TEXT,
        RATING,
        fields,
        options);
  }
}
