package org.ser4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.BadRecordException;
import org.ser4j.data.SourceRef;

/**
 * Typed access to a JSON record's fields. Every failure is a {@link BadRecordException} that names
 * the record's file and line and the field's path, e.g. {@code completions[2].response}.
 */
public final class Fields {
  private final SourceRef source;

  Fields(SourceRef source) {
    this.source = source;
  }

  SourceRef source() {
    return source;
  }

  BadRecordException bad(String path, String reason, String detail) {
    return new BadRecordException(source, path, reason, detail);
  }

  JsonNode require(JsonNode parent, String name, String path) {
    JsonNode value = parent.get(name);
    if (value == null || value.isNull()) {
      throw bad(path, "missing-field", "missing; expected " + describe(name));
    }
    return value;
  }

  /** A string field; {@code nonBlank} turns whitespace-only text into an error. */
  String string(JsonNode parent, String name, String path, boolean nonBlank) {
    JsonNode value = require(parent, name, path);
    return text(value, path, nonBlank);
  }

  String text(JsonNode value, String path, boolean nonBlank) {
    if (!value.isTextual()) {
      throw bad(path, "wrong-type", "expected a string, got " + typeOf(value));
    }
    String text = value.textValue();
    if (nonBlank && text.isBlank()) {
      throw bad(path, emptyReason(path), "expected non-empty text, got only whitespace");
    }
    return text;
  }

  List<JsonNode> array(JsonNode parent, String name, String path) {
    JsonNode value = require(parent, name, path);
    if (!value.isArray()) {
      throw bad(path, "wrong-type", "expected an array, got " + typeOf(value));
    }
    List<JsonNode> items = new ArrayList<>(value.size());
    value.forEach(items::add);
    return items;
  }

  JsonNode object(JsonNode parent, String name, String path) {
    JsonNode value = require(parent, name, path);
    if (!value.isObject()) {
      throw bad(path, "wrong-type", "expected an object, got " + typeOf(value));
    }
    return value;
  }

  /** A finite number; JSON's non-standard NaN and Infinity are refused. */
  double number(JsonNode value, String path) {
    if (!value.isNumber()) {
      throw bad(path, "wrong-type", "expected a number, got " + typeOf(value));
    }
    double number = value.doubleValue();
    if (!Double.isFinite(number)) {
      throw bad(path, "not-finite", "expected a finite number, got " + number);
    }
    return number;
  }

  /** The first of {@code names} present in {@code parent}, or null. */
  static String firstPresent(JsonNode parent, String... names) {
    for (String name : names) {
      JsonNode value = parent.get(name);
      if (value != null && !value.isNull()) {
        return name;
      }
    }
    return null;
  }

  /** The record's own id, if it has a string or integer {@code field}. */
  static String idOrNull(JsonNode parent, String field) {
    JsonNode value = parent.get(field);
    if (value == null || !(value.isTextual() || value.isIntegralNumber())) {
      return null;
    }
    String id = value.asText();
    return id.isBlank() ? null : id;
  }

  static String typeOf(JsonNode value) {
    switch (value.getNodeType()) {
      case STRING:
        return "a string";
      case NUMBER:
        return "a number";
      case BOOLEAN:
        return "a boolean";
      case ARRAY:
        return "an array";
      case OBJECT:
        return "an object";
      case NULL:
        return "null";
      default:
        return value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static String describe(String name) {
    return "field '" + name + "'";
  }

  private static String emptyReason(String path) {
    return path.contains("prompt") || path.contains("question") || path.contains("post")
        ? "empty-prompt"
        : "empty-response";
  }
}
