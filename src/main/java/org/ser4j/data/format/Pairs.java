package org.ser4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;

/** Builds pairs with ids: the record's own {@code id} if present, else a content hash. */
public final class Pairs {
  private Pairs() {}

  static PreferencePair make(
      JsonNode record, Prompt prompt, String chosen, String rejected, Fields fields) {
    String id = Fields.idOrNull(record, "id");
    return new PreferencePair(
        id != null ? id : PreferencePair.contentId(prompt, chosen, rejected),
        prompt,
        chosen,
        rejected,
        fields.source());
  }

  /** The k-th pair made from one record that yields several (rated responses). */
  static PreferencePair make(
      String recordId, int k, Prompt prompt, String chosen, String rejected, Fields fields) {
    String id =
        recordId != null ? recordId + "/" + k : PreferencePair.contentId(prompt, chosen, rejected);
    return new PreferencePair(id, prompt, chosen, rejected, fields.source());
  }
}
