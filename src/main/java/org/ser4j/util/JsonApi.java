package org.ser4j.util;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.util.Locale;

/**
 * What the JSON APIs of `ser serve` and `ser label` share: a client error with its status, answered
 * as {@code {"error": message}}; the exception handlers that send it (anything else is a 500 that
 * says only "internal error"); the JSON object a request carries; and its string fields, with
 * errors that name the field.
 */
public final class JsonApi {
  private static final String BODY = "ser4j.json-body";

  private JsonApi() {}

  /** A client error: status and message. */
  public static final class Refused extends RuntimeException {
    private final int status;

    public Refused(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** Answers {@link Refused}, Javalin's own HTTP errors, and any other exception (500). */
  public static void handleErrors(Javalin app) {
    app.exception(Refused.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
    app.exception(
        HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
    app.exception(Exception.class, (e, ctx) -> error(ctx, 500, "internal error"));
  }

  /** Sends {"error": message} with {@code status}. */
  public static void error(Context ctx, int status, String message) {
    ctx.status(status)
        .contentType("application/json")
        .result(Json.LINE.createObjectNode().put("error", message).toString());
  }

  /**
   * The request's body as a JSON object, parsed once per request; malformed JSON is a 400 that says
   * where.
   */
  public static JsonNode object(Context ctx) {
    JsonNode cached = ctx.attribute(BODY);
    if (cached != null) {
      return cached;
    }
    byte[] bytes = ctx.bodyAsBytes();
    if (blank(bytes)) {
      throw new Refused(400, "empty body; expected a JSON object");
    }
    JsonNode node;
    try {
      node = Json.LINE.readTree(bytes);
    } catch (JsonProcessingException e) {
      String why = e.getOriginalMessage();
      int source = why.indexOf(" (start marker at [Source");
      var at = e.getLocation(); // null for limit violations such as nesting depth
      throw new Refused(
          400,
          "malformed JSON"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + ": "
              + (source > 0 ? why.substring(0, source) : why));
    } catch (IOException e) {
      throw new Refused(400, "malformed JSON");
    }
    if (node == null || !node.isObject()) {
      throw new Refused(400, "expected a JSON object");
    }
    ctx.attribute(BODY, node);
    return node;
  }

  private static boolean blank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /** {@code value} as a string; a 400 naming {@code path} when it is missing or not a string. */
  public static String string(JsonNode value, String path) {
    if (value == null || !value.isTextual()) {
      throw new Refused(
          400,
          "field '"
              + path
              + "': expected a string"
              + (value == null ? ", missing" : ", got " + type(value)));
    }
    return value.textValue();
  }

  /** The JSON type of {@code value} in words: "number", "array", ... */
  public static String type(JsonNode value) {
    return value.getNodeType().toString().toLowerCase(Locale.ROOT);
  }
}
