package org.ser4j.util;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The project's JSON mappers, configured in one place: {@link #LINE} for one object per line (JSON
 * Lines, HTTP bodies), {@link #PRETTY} for reports people read (maps in their insertion order, as
 * the reports build them), {@link #CANONICAL} for what the project reads back and compares (model
 * directories, provenance, a run's report.json): indented, map keys sorted, so a map's key order
 * never depends on the process (Map.of iterates in a per-JVM order).
 */
public final class Json {
  public static final ObjectMapper LINE = new ObjectMapper();

  public static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static final ObjectMapper CANONICAL =
      PRETTY.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private Json() {}
}
