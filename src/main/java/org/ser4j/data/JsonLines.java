package org.ser4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;

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
  private boolean done;

  private JsonLines(String fileName, Utf8LineReader lines) {
    this.fileName = fileName;
    this.lines = lines;
  }

  public static JsonLines open(Path file) {
    return new JsonLines(
        file.toString(), new Utf8LineReader(openStream(file), ReadOptions.DEFAULT_MAX_LINE_BYTES));
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

  @Override
  public boolean hasNext() {
    while (next == null && !done) {
      Utf8LineReader.Line line;
      try {
        line = lines.next();
      } catch (IOException e) {
        throw new DataFileException(
            fileName + ": read failed after line " + lines.linesRead() + ": " + e.getMessage(), e);
      }
      if (line == null) {
        done = true;
        break;
      }
      if (line.text() != null && line.text().isBlank()) {
        continue;
      }
      SourceRef source = new SourceRef(fileName, line.number());
      if (line.problem() != null) {
        throw new BadRecordException(source, "(line)", "bad-line", line.problem());
      }
      next = new Record(PairReader.parseJson(line.text(), source), source);
    }
    return next != null;
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
