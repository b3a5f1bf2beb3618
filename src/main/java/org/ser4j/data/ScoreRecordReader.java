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
 * Streams {@code {"id"?, "prompt": string | messages, "response": string}} records, the input of
 * {@code ser score}. Same line handling and error messages as {@link PairReader}; a blank
 * response is allowed here (it gets a reward like any other text).
 */
public final class ScoreRecordReader implements Iterator<ScoreRecord>, AutoCloseable {
  private final String fileName;
  private final Utf8LineReader lines;
  private ScoreRecord next;
  private boolean done;

  private ScoreRecordReader(String fileName, Utf8LineReader lines) {
    this.fileName = fileName;
    this.lines = lines;
  }

  public static ScoreRecordReader open(Path file) {
    try {
      InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
      raw.mark(2);
      int b1 = raw.read();
      int b2 = raw.read();
      raw.reset();
      InputStream in = (b1 == 0x1f && b2 == 0x8b) ? new GZIPInputStream(raw, 1 << 16) : raw;
      return new ScoreRecordReader(file.toString(), new Utf8LineReader(in, ReadOptions.DEFAULT_MAX_LINE_BYTES));
    } catch (NoSuchFileException e) {
      throw new DataFileException(file + ": no such file");
    } catch (IOException e) {
      throw new DataFileException(file + ": cannot open: " + e.getMessage(), e);
    }
  }

  /** True when the file's first record has a {@code response} field (else it is a preference file). */
  public static boolean looksLikeScoreRecords(Path file) {
    try (ScoreRecordReader probe = open(file)) {
      Utf8LineReader.Line line;
      while ((line = probe.lines.next()) != null) {
        if (line.text() != null && !line.text().isBlank()) {
          JsonNode record = PairReader.parseJson(line.text(), new SourceRef(file.toString(), line.number()));
          return record.has("response");
        }
      }
      return false;
    } catch (IOException e) {
      throw new DataFileException(file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean hasNext() {
    while (next == null && !done) {
      Utf8LineReader.Line line;
      try {
        line = lines.next();
      } catch (IOException e) {
        throw new DataFileException(fileName + ": read failed after line " + lines.linesRead() + ": " + e.getMessage(), e);
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
      JsonNode record = PairReader.parseJson(line.text(), source);
      Fields fields = new Fields(source);
      Prompt prompt = new Prompt(TrlParser.turns(fields.require(record, "prompt", "prompt"), "prompt", Role.USER, fields));
      String response = fields.string(record, "response", "response", false);
      String id = Fields.idOrNull(record, "id");
      next = new ScoreRecord(id != null ? id : String.valueOf(line.number()), prompt, response, source);
    }
    return next != null;
  }

  @Override
  public ScoreRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    ScoreRecord out = next;
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
