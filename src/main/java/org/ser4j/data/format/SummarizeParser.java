package org.ser4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;

/**
 * OpenAI summarize-from-feedback comparisons: {@code info} holds the post (or article), two {@code
 * summaries} each with {@code text}, and {@code choice} (0 or 1) is the preferred one. The prompt
 * is rendered as in the TL;DR task: "SUBREDDIT: r/..\nTITLE: ..\nPOST: ..\nTL;DR:".
 */
public final class SummarizeParser implements RecordParser {
  @Override
  public List<PreferencePair> parse(JsonNode record, Fields fields, ReadOptions options) {
    JsonNode info = fields.object(record, "info", "info");
    String bodyField = Fields.firstPresent(info, "post", "article");
    String body =
        fields.string(
            info,
            bodyField != null ? bodyField : "post",
            "info." + (bodyField != null ? bodyField : "post"),
            true);
    StringBuilder prompt = new StringBuilder();
    String subreddit = optionalText(info, "subreddit", fields);
    String title = optionalText(info, "title", fields);
    if (subreddit != null) {
      prompt.append("SUBREDDIT: r/").append(subreddit).append('\n');
    }
    if (title != null) {
      prompt.append("TITLE: ").append(title).append('\n');
    }
    prompt
        .append(bodyField != null && bodyField.equals("article") ? "ARTICLE: " : "POST: ")
        .append(body)
        .append("\nTL;DR:");

    List<JsonNode> summaries = fields.array(record, "summaries", "summaries");
    if (summaries.size() != 2) {
      throw fields.bad(
          "summaries", "wrong-size", "expected exactly 2 summaries, got " + summaries.size());
    }
    String[] texts = new String[2];
    for (int i = 0; i < 2; i++) {
      JsonNode summary = summaries.get(i);
      if (!summary.isObject()) {
        throw fields.bad(
            "summaries[" + i + "]",
            "wrong-type",
            "expected an object, got " + Fields.typeOf(summary));
      }
      texts[i] = fields.string(summary, "text", "summaries[" + i + "].text", true).strip();
    }
    JsonNode choice = fields.require(record, "choice", "choice");
    if (!choice.isIntegralNumber() || (choice.intValue() != 0 && choice.intValue() != 1)) {
      throw fields.bad("choice", "bad-choice", "expected 0 or 1, got " + choice);
    }
    int chosen = choice.intValue();
    // info.id names the post, which many comparisons share: ids come from the content instead.
    return List.of(
        Pairs.make(record, Prompt.of(prompt.toString()), texts[chosen], texts[1 - chosen], fields));
  }

  private static String optionalText(JsonNode info, String name, Fields fields) {
    JsonNode value = info.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    return fields.text(value, "info." + name, false);
  }
}
