package org.ser4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;

/**
 * Shared by the formats where one prompt has several rated responses: reads each response's text
 * and rating, then pairs them by the configured {@link PairingRule}.
 */
public final class RatedResponses {
  private RatedResponses() {}

  static List<PreferencePair> pairs(
      String recordId,
      Prompt prompt,
      List<JsonNode> items,
      String arrayPath,
      String[] textFields,
      String[] ratingFields,
      Fields fields,
      ReadOptions options) {
    String[] texts = new String[items.size()];
    double[] ratings = new double[items.size()];
    for (int i = 0; i < items.size(); i++) {
      String at = arrayPath + "[" + i + "]";
      JsonNode item = items.get(i);
      if (!item.isObject()) {
        throw fields.bad(at, "wrong-type", "expected an object, got " + Fields.typeOf(item));
      }
      String textField = Fields.firstPresent(item, textFields);
      if (textField == null) {
        throw fields.bad(
            at + "." + textFields[0],
            "missing-field",
            "missing; expected one of " + List.of(textFields));
      }
      texts[i] = fields.text(item.get(textField), at + "." + textField, true);
      String ratingField = Fields.firstPresent(item, ratingFields);
      if (ratingField == null) {
        throw fields.bad(
            at + "." + ratingFields[0],
            "missing-field",
            "missing; expected a numeric rating in one of " + List.of(ratingFields));
      }
      ratings[i] = fields.number(item.get(ratingField), at + "." + ratingField);
    }
    if (items.size() < 2) {
      throw fields.bad(
          arrayPath,
          "too-few-responses",
          "expected at least 2 rated responses, got " + items.size());
    }
    // Seeded per line, so a record's pairs do not depend on what was read before it.
    SplittableRandom random =
        new SplittableRandom(options.seed() * 1_000_003L + fields.source().line());
    List<PairingRule.Choice> choices =
        options.pairing().pick(ratings, options.maxPairsPerPrompt(), random);
    if (choices.isEmpty()) {
      throw fields.bad(
          arrayPath,
          "no-preference",
          "expected responses with different ratings, but all are rated " + ratings[0]);
    }
    List<PreferencePair> pairs = new ArrayList<>(choices.size());
    for (int k = 0; k < choices.size(); k++) {
      PairingRule.Choice c = choices.get(k);
      pairs.add(Pairs.make(recordId, k, prompt, texts[c.better()], texts[c.worse()], fields));
    }
    return pairs;
  }
}
