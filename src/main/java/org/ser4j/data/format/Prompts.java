package org.ser4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import org.ser4j.data.BadRecordException;
import org.ser4j.data.Prompt;
import org.ser4j.data.Role;
import org.ser4j.data.SourceRef;

/**
 * A prompt from a JSON value outside a file (e.g. an HTTP request): a string or a list of messages.
 */
public final class Prompts {
  private Prompts() {}

  /**
   * @throws IllegalArgumentException naming {@code path} and what was expected
   */
  public static Prompt parse(JsonNode value, String path) {
    try {
      Fields fields = new Fields(new SourceRef("request", 0));
      if (value == null || value.isNull()) {
        throw fields.bad(
            path,
            "missing-field",
            "missing; expected a string or a list of {role, content} messages");
      }
      return new Prompt(TrlParser.turns(value, path, Role.USER, fields));
    } catch (BadRecordException e) {
      throw new IllegalArgumentException("field '" + e.field() + "': " + e.detail(), e);
    }
  }
}
