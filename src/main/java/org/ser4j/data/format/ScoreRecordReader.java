package org.ser4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import org.ser4j.data.Prompt;
import org.ser4j.data.Role;

/**
 * Streams {@code {"id"?, "prompt": string | messages, "response": string}} records, the input of
 * {@code ser score}. A blank response is allowed here (it gets a reward like any other text).
 */
public final class ScoreRecordReader implements Iterator<ScoreRecord>, AutoCloseable {
  private final JsonLines lines;

  private ScoreRecordReader(JsonLines lines) {
    this.lines = lines;
  }

  public static ScoreRecordReader open(Path file) {
    return new ScoreRecordReader(JsonLines.open(file));
  }

  /**
   * True when the file's first record has a {@code response} field (else it is a preference file).
   */
  public static boolean looksLikeScoreRecords(Path file) {
    return JsonLines.firstRecordHas(file, "response");
  }

  @Override
  public boolean hasNext() {
    return lines.hasNext();
  }

  @Override
  public ScoreRecord next() {
    JsonLines.Record r = lines.next();
    Fields fields = new Fields(r.source());
    JsonNode record = r.json();
    Prompt prompt =
        new Prompt(
            TrlParser.turns(
                fields.require(record, "prompt", "prompt"), "prompt", Role.USER, fields));
    String response = fields.string(record, "response", "response", false);
    String id = Fields.idOrNull(record, "id");
    return new ScoreRecord(
        id != null ? id : String.valueOf(r.source().line()), prompt, response, r.source());
  }

  @Override
  public void close() {
    lines.close();
  }
}
