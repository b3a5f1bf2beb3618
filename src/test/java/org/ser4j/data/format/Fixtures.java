package org.ser4j.data.format;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.ser4j.data.BadRecordException;
import org.ser4j.data.PreferencePair;

/** Small hand-written input files for reader tests, and assertions on their errors. */
final class Fixtures {
  private Fixtures() {}

  static Path write(Path dir, String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    if (name.endsWith(".gz")) {
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
        out.write(bytes);
      }
    } else {
      Files.write(file, bytes);
    }
    return file;
  }

  static List<PreferencePair> read(Path file, ReadOptions options) {
    return PairReader.readAll(file, options).pairs();
  }

  static List<PreferencePair> read(Path file) {
    return read(file, ReadOptions.defaults());
  }

  /**
   * Reads a one-record file that must fail, and checks the error names the file, the line, the
   * field and the reason.
   */
  static BadRecordException assertBad(
      Path dir, PreferenceFormat format, String record, String field, String reason)
      throws IOException {
    Path file = write(dir, "bad-" + System.nanoTime() + ".jsonl", "", record);
    BadRecordException e =
        assertThrows(
            BadRecordException.class, () -> read(file, ReadOptions.defaults().withFormat(format)));
    String message = e.getMessage();
    assertTrue(message.startsWith(file + ":2: "), "names file and line 2: " + message);
    assertTrue(message.contains("field '" + field + "'"), "names field " + field + ": " + message);
    assertTrue(message.contains("[" + reason + "]"), "gives reason " + reason + ": " + message);
    assertTrue(
        e.field().equals(field) && e.reason().equals(reason) && e.source().line() == 2, message);
    return e;
  }
}
