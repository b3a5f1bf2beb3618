package org.ser4j.label;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.format.PairWriter;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Json;

/**
 * The label file: one pairwise record a line ({@code prompt, response_a, response_b, preferred}),
 * which `ser evolve --add-labels` reads as it is, plus {@code id}, {@code annotator}, {@code time}
 * and {@code shown_left} ("a" or "b"). A label is appended and forced to disk before the caller
 * hears it was saved. An undo rewrites the file without the label (temporary file, then rename), so
 * the file never holds a label that was taken back. A last line cut short by a crash (kill -9 while
 * writing) was never confirmed to anyone and is dropped on opening; any other bad line is an error
 * naming file and line, and nothing is changed.
 */
final class LabelLog implements Closeable {
  private final Path file;
  private final LabelQueue queue;
  private FileChannel channel;

  /** What the file held when it was opened, and a note if a cut-off last line was dropped. */
  record Opened(LabelLog log, List<Annotation> annotations, String note) {}

  private LabelLog(Path file, LabelQueue queue) {
    this.file = file;
    this.queue = queue;
  }

  static Opened open(Path file, LabelQueue queue) throws IOException {
    if (file.getFileName().toString().endsWith(".gz")) {
      throw new IllegalArgumentException(
          file + ": the label file is appended to line by line; give a name without .gz");
    }
    LabelLog log = new LabelLog(file, queue);
    List<Annotation> read = new ArrayList<>();
    String note = null;
    if (Files.exists(file)) {
      byte[] bytes = Files.readAllBytes(file);
      int end = bytes.length;
      while (end > 0 && bytes[end - 1] != '\n') {
        end--;
      }
      if (end < bytes.length) {
        note =
            String.format(
                "%s: dropped a last line cut short (%d bytes, never confirmed)",
                file, bytes.length - end);
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
          c.truncate(end);
          c.force(true);
        }
      }
      String[] lines = new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n", -1);
      for (int i = 0; i + 1 < lines.length; i++) {
        if (!lines[i].isBlank()) {
          read.add(log.parse(lines[i], i + 1));
        }
      }
    } else {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
    }
    log.channel = openAppend(file);
    return new Opened(log, read, note);
  }

  private static FileChannel openAppend(Path file) throws IOException {
    return FileChannel.open(
        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  private Annotation parse(String line, int number) {
    String where = file + ":" + number;
    JsonNode n;
    try {
      n = Json.LINE.readTree(line);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(where + ": not a JSON object: " + e.getOriginalMessage());
    }
    String id = text(n, "id", where);
    if (queue.position(id) < 0) {
      throw new IllegalArgumentException(
          where + ": field 'id': \"" + id + "\" is not in the queue " + queue.file());
    }
    Choice choice;
    try {
      choice = Choice.of(text(n, "preferred", where));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": field 'preferred': " + e.getMessage());
    }
    String left = text(n, "shown_left", where);
    if (!left.equals("a") && !left.equals("b")) {
      throw new IllegalArgumentException(where + ": field 'shown_left': expected \"a\" or \"b\"");
    }
    Instant time;
    try {
      time = Instant.parse(text(n, "time", where));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(where + ": field 'time': " + e.getMessage());
    }
    return new Annotation(id, text(n, "annotator", where), choice, left.equals("a"), time);
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(where + ": field '" + field + "': expected a string");
    }
    return v.textValue();
  }

  /** Appends {@code a} and forces it to disk. */
  void append(Annotation a) throws IOException {
    ByteBuffer line = ByteBuffer.wrap(line(a));
    long before = channel.size();
    try {
      while (line.hasRemaining()) {
        channel.write(line);
      }
      channel.force(false);
    } catch (IOException e) {
      channel.truncate(before); // a half-written line would spoil the next one
      throw e;
    }
  }

  /** Replaces the file's content by {@code all} in one step (an undo). */
  void rewrite(List<Annotation> all) throws IOException {
    channel.close();
    try {
      AtomicFiles.write(
          file,
          out -> {
            for (Annotation a : all) {
              out.write(line(a));
            }
          });
    } finally {
      channel = openAppend(file);
    }
  }

  /** A pair with its answer as the pairwise format writes it: what --add-labels reads. */
  static ObjectNode pairwise(UnlabeledPair p, Choice choice) {
    ObjectNode n = Json.LINE.createObjectNode();
    n.put("id", p.id());
    PairWriter.putPrompt(n, p.prompt());
    n.put("response_a", p.first());
    n.put("response_b", p.second());
    n.put("preferred", choice.value());
    return n;
  }

  private byte[] line(Annotation a) throws IOException {
    ObjectNode n = pairwise(queue.get(queue.position(a.id())), a.choice());
    n.put("annotator", a.annotator());
    n.put("time", a.time().toString());
    n.put("shown_left", a.aLeft() ? "a" : "b");
    byte[] json = Json.LINE.writeValueAsBytes(n);
    byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
    out[json.length] = '\n';
    return out;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
