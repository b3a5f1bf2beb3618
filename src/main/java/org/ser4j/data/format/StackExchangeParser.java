package org.ser4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;

/**
 * StackExchange preferences (HuggingFaceH4/stack-exchange-preferences): a {@code question} with
 * {@code answers}, each a {@code text} with a {@code pm_score} (or {@code score}); answers with
 * higher scores are preferred.
 */
public final class StackExchangeParser implements RecordParser {
  private static final String[] TEXT = {"text", "body"};
  private static final String[] SCORE = {"pm_score", "score"};

  @Override
  public List<PreferencePair> parse(JsonNode record, Fields fields, ReadOptions options) {
    String question = fields.string(record, "question", "question", true);
    String id = Fields.idOrNull(record, "qid");
    if (id == null) {
      id = Fields.idOrNull(record, "id");
    }
    return RatedResponses.pairs(
        id,
        Prompt.of(question),
        fields.array(record, "answers", "answers"),
        "answers",
        TEXT,
        SCORE,
        fields,
        options);
  }
}
