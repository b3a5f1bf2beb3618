package org.ser4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.ser4j.data.BadRecordException;
import org.ser4j.data.DataFileException;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.SkipCounts;

/**
 * Streams preference pairs from a JSON Lines file, plain or gzip (detected by its magic bytes), in
 * any {@link PreferenceFormat}. Memory stays bounded by one line, so files larger than memory are
 * fine. Bad records fail with a {@link BadRecordException}, or are skipped and counted in {@link
 * #skipped()} when {@link ReadOptions#skipBad()} is set.
 */
public final class PairReader implements Iterator<PreferencePair>, AutoCloseable {
  private static final int EXAMPLES_KEPT = 5;

  private final Path file;
  private final String fileName;
  private final ReadOptions options;
  private final JsonLines lines;
  private final Deque<PreferencePair> pending = new ArrayDeque<>();
  private final SkipCounts skipped = new SkipCounts(EXAMPLES_KEPT);
  private PreferenceFormat format;

  private PairReader(Path file, ReadOptions options, InputStream in) {
    this.file = file;
    this.fileName = file.toString();
    this.options = options;
    this.format = options.format();
    this.lines = new JsonLines(fileName, in, options.maxLineBytes());
  }

  public static PairReader open(Path file, ReadOptions options) {
    return new PairReader(file, options, JsonLines.openStream(file));
  }

  /**
   * Reads from a stream (plain or gzip) as if it were the file {@code name}: for fuzzing and pipes.
   */
  static PairReader fromStream(String name, InputStream in, ReadOptions options) {
    try {
      return new PairReader(Path.of(name), options, JsonLines.maybeGunzip(in));
    } catch (IOException e) {
      throw new DataFileException(name + ": cannot open: " + e.getMessage(), e);
    }
  }

  /** Reads a whole file into a list, each distinct text held once ({@link TextInterner}). */
  public static ReadResult readAll(Path file, ReadOptions options) {
    List<PreferencePair> pairs = new ArrayList<>();
    TextInterner interner = new TextInterner();
    try (PairReader reader = open(file, options)) {
      reader.forEachRemaining(p -> pairs.add(interner.pair(p)));
      return new ReadResult(file, reader.format(), reader.records(), pairs, reader.skipped());
    }
  }

  /** Everything read from one file. */
  public record ReadResult(
      Path file,
      PreferenceFormat format,
      long records,
      List<PreferencePair> pairs,
      SkipCounts skipped) {}

  /** Streams every pair to {@code sink}. */
  public void forEachRemaining(Consumer<? super PreferencePair> sink) {
    while (hasNext()) {
      sink.accept(next());
    }
  }

  @Override
  public boolean hasNext() {
    while (pending.isEmpty() && readRecord()) {}
    return !pending.isEmpty();
  }

  @Override
  public PreferencePair next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return pending.removeFirst();
  }

  /** Reads the next record's pairs into {@code pending}; false at the end of the file. */
  private boolean readRecord() {
    try {
      if (!lines.hasNext()) {
        return false;
      }
      JsonLines.Record r = lines.next();
      JsonNode record = r.json();
      if (format == null) {
        format =
            PreferenceFormat.detect(record)
                .orElseThrow(
                    () ->
                        new BadRecordException(
                            r.source(),
                            "(record)",
                            "unknown-format",
                            "cannot detect the format from fields "
                                + fieldNames(record)
                                + "; expected HH-RLHF {chosen, rejected}, TRL {prompt, chosen, rejected},"
                                + " UltraFeedback {instruction, completions}, summarize {info, summaries, choice}"
                                + " or StackExchange {question, answers}; pass --format to choose"));
      }
      pending.addAll(format.parser().parse(record, new Fields(r.source()), options));
    } catch (BadRecordException e) {
      if (!options.skipBad()) {
        throw e;
      }
      skipped.add(e);
    }
    return true;
  }

  private static List<String> fieldNames(JsonNode record) {
    List<String> names = new ArrayList<>();
    record.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The format in use: as given, or as detected from the first record (null before it). */
  public PreferenceFormat format() {
    return format;
  }

  /** Non-blank lines read so far, good or bad. */
  public long records() {
    return lines.records();
  }

  public SkipCounts skipped() {
    return skipped;
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() {
    lines.close();
  }
}
