package org.ser4j.data.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.ser4j.data.BadRecordException;
import org.ser4j.data.DataFileException;
import org.ser4j.data.SourceRef;
import org.ser4j.util.Json;

/**
 * JSON objects, one per line, from a plain or gzip file, with each one's source (file, line).
 * Undecodable lines, malformed JSON and non-objects fail with a {@link BadRecordException}.
 */
public final class JsonLines implements Iterator<JsonLines.Record>, AutoCloseable {

  /** One JSON object and where it was. */
  public record Record(JsonNode json, SourceRef source) {}

  private final String fileName;
  private final Utf8LineReader lines;
  private Record next;
  private long records;
  private boolean done;

  JsonLines(String fileName, InputStream in, int maxLineBytes) {
    this.fileName = fileName;
    this.lines = new Utf8LineReader(in, maxLineBytes);
  }

  public static JsonLines open(Path file) {
    return new JsonLines(file.toString(), openStream(file), ReadOptions.DEFAULT_MAX_LINE_BYTES);
  }

  /**
   * The records of a stream named {@code name} in errors (a file another file system opened); gzip
   * is read when the bytes start with its magic number.
   */
  public static JsonLines open(String name, InputStream in) {
    try {
      return new JsonLines(name, maybeGunzip(in), ReadOptions.DEFAULT_MAX_LINE_BYTES);
    } catch (IOException e) {
      throw new DataFileException(name + ": cannot open: " + e.getMessage(), e);
    }
  }

  /** The file's bytes, gunzipped when they start with gzip's magic number. */
  static InputStream openStream(Path file) {
    try {
      return maybeGunzip(Files.newInputStream(file));
    } catch (NoSuchFileException e) {
      throw new DataFileException(file + ": no such file");
    } catch (IOException e) {
      throw new DataFileException(file + ": cannot open: " + e.getMessage(), e);
    }
  }

  /** True when the file's first JSON record has {@code field}: tells record kinds apart. */
  public static boolean firstRecordHas(Path file, String field) {
    try (JsonLines probe = open(file)) {
      return probe.hasNext() && probe.next().json().has(field);
    }
  }

  /** {@code in}, gunzipped when it starts with gzip's magic number. */
  static InputStream maybeGunzip(InputStream in) throws IOException {
    InputStream raw = new BufferedInputStream(in, 1 << 16);
    raw.mark(2);
    int b1 = raw.read();
    int b2 = raw.read();
    raw.reset();
    return (b1 == 0x1f && b2 == 0x8b) ? new GZIPInputStream(raw, 1 << 16) : raw;
  }

  /**
   * Whether a record follows; a bad line (undecodable, too long, malformed JSON, not an object)
   * throws its {@link BadRecordException} once, and the next call reads on after it.
   */
  @Override
  public boolean hasNext() {
    while (next == null && !done) {
      Utf8LineReader.Line line;
      try {
        line = lines.next();
      } catch (EOFException | ZipException e) {
        throw new DataFileException(
            fileName
                + ": gzip data truncated or corrupt after line "
                + lines.linesRead()
                + " ("
                + e.getMessage()
                + ")",
            e);
      } catch (IOException e) {
        throw new DataFileException(
            fileName + ": read failed after line " + lines.linesRead() + ": " + e.getMessage(), e);
      }
      if (line == null) {
        done = true;
        break;
      }
      if (line.text() != null && line.text().isBlank()) {
        continue; // blank lines separate nothing in JSON Lines
      }
      records++;
      SourceRef source = new SourceRef(fileName, line.number());
      if (line.problem() != null) {
        String reason = line.problem().startsWith("invalid") ? "invalid-utf8" : "line-too-long";
        throw new BadRecordException(source, "(line)", reason, line.problem());
      }
      next = new Record(parseJson(line.text(), source), source);
    }
    return next != null;
  }

  /** Non-blank lines read so far, good or bad. */
  public long records() {
    return records;
  }

  static JsonNode parseJson(String text, SourceRef source) {
    JsonNode record;
    try {
      record = Json.LINE.readTree(text);
    } catch (JsonProcessingException e) {
      throw new BadRecordException(
          source,
          "(json)",
          "malformed-json",
          "expected one JSON object per line: " + e.getOriginalMessage());
    }
    if (record == null || !record.isObject()) {
      throw new BadRecordException(
          source,
          "(json)",
          "not-an-object",
          "expected a JSON object, got " + (record == null ? "nothing" : Fields.typeOf(record)));
    }
    return record;
  }

  @Override
  public Record next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Record out = next;
    next = null;
    return out;
  }

  @Override
  public void close() {
    try {
      lines.close();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
