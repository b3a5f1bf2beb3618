package org.ser4j.data.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.data.BadRecordException;
import org.ser4j.data.DataFileException;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.split.Splits;

/**
 * Hostile inputs: each gets a clear error naming file, line and field, or a counted skip, and
 * memory stays bounded. The files in src/test/resources/hostile (including any crash the fuzzer
 * found) must never escape as anything but a {@link BadRecordException} or {@link
 * DataFileException}.
 */
public class HostileInputTest {
  @TempDir Path dir;

  private static final String GOOD = "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}";

  @Test
  void aNestingBombIsMalformedJsonNotAStackOverflow() throws Exception {
    String bomb =
        "{\"prompt\": "
            + "[".repeat(100_000)
            + "]".repeat(100_000)
            + ", \"chosen\": \"a\", \"rejected\": \"b\"}";
    Path file = Fixtures.write(dir, "bomb.jsonl", GOOD, bomb, GOOD);
    BadRecordException e = assertThrows(BadRecordException.class, () -> Fixtures.read(file));
    assertTrue(e.getMessage().startsWith(file + ":2: field '(json)'"), e.getMessage());
    assertTrue(e.getMessage().contains("nesting depth"), e.getMessage());
    assertEquals(2, Fixtures.read(file, ReadOptions.defaults().withSkipBad(true)).size());
  }

  @Test
  void aHundredMegabyteLineIsReadPastWithBoundedMemory() throws Exception {
    Path file = dir.resolve("huge.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write((GOOD + "\n{\"prompt\": \"").getBytes(StandardCharsets.UTF_8));
      byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 100; i++) {
        out.write(chunk);
      }
      out.write(
          ("\", \"chosen\": \"a\", \"rejected\": \"b\"}\n" + GOOD + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    Runtime rt = Runtime.getRuntime();
    PairReader.ReadResult result =
        PairReader.readAll(file, ReadOptions.defaults().withSkipBad(true));
    assertEquals(2, result.pairs().size());
    assertEquals(1L, result.skipped().byReason().get("line-too-long"));
    assertTrue(
        result
            .skipped()
            .examples()
            .get(0)
            .startsWith(file + ":2: field '(line)': line longer than"),
        result.skipped().examples().get(0));
    // The reader holds at most one line of the bound (32 MiB), never the 100 MB line.
    assertTrue(
        rt.totalMemory() - rt.freeMemory() < rt.maxMemory(), "still alive and within the heap");
  }

  @Test
  void infinityAndHugeNumbersAreNotRatings() throws Exception {
    Path file =
        Fixtures.write(
            dir,
            "inf.jsonl",
            "{\"instruction\": \"q\", \"completions\": [{\"response\": \"a\", \"overall_score\": 1e999}, {\"response\": \"b\", \"overall_score\": 1}]}");
    BadRecordException e = assertThrows(BadRecordException.class, () -> Fixtures.read(file));
    assertEquals("not-finite", e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("field 'completions[0].overall_score'"), e.getMessage());
    Path nan =
        Fixtures.write(
            dir,
            "nan.jsonl",
            "{\"instruction\": \"q\", \"completions\": [{\"response\": \"a\", \"overall_score\": Infinity}]}");
    assertEquals(
        "malformed-json",
        assertThrows(BadRecordException.class, () -> Fixtures.read(nan)).reason());
  }

  @Test
  void duplicatedIdsAreKeptAndSplitByPosition() throws Exception {
    String a = "{\"id\": \"same\", \"prompt\": \"p1\", \"chosen\": \"a\", \"rejected\": \"b\"}";
    String b = "{\"id\": \"same\", \"prompt\": \"p2\", \"chosen\": \"c\", \"rejected\": \"d\"}";
    Path file = Fixtures.write(dir, "dup.jsonl", a, b, a, b, a, b, a, b, a, b);
    List<PreferencePair> pairs = Fixtures.read(file);
    assertEquals(10, pairs.size());
    Splits.SeedAndPool split = Splits.labeledSeed(pairs, 0.3, 1);
    assertEquals(3, split.labeled().size());
    assertEquals(7, split.pool().size());
  }

  @Test
  void emptyStringsAndWrongTypesInEveryField() throws Exception {
    Path file =
        Fixtures.write(
            dir,
            "mixed.jsonl",
            "{\"prompt\": \"\", \"chosen\": \"a\", \"rejected\": \"b\"}",
            "{\"prompt\": \"p\", \"chosen\": \"\", \"rejected\": \"b\"}",
            "{\"prompt\": \"p\", \"chosen\": true, \"rejected\": \"b\"}",
            "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": null}",
            "{\"prompt\": [{\"role\": 1, \"content\": \"x\"}], \"chosen\": \"a\", \"rejected\": \"b\"}",
            "\"just a string\"",
            "{}",
            GOOD);
    PairReader.ReadResult r =
        PairReader.readAll(
            file, ReadOptions.defaults().withFormat(PreferenceFormat.TRL).withSkipBad(true));
    assertEquals(1, r.pairs().size());
    assertEquals(7, r.skipped().total(), r.skipped().summary());
  }

  /** The corpus: every file either reads or fails with a data error, whatever its format. */
  @Test
  void theHostileCorpusNeverCrashesAReader() throws Exception {
    Path corpus = Path.of("src", "test", "resources", "hostile");
    List<Path> files;
    try (Stream<Path> s = Files.walk(corpus)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    assertTrue(files.size() >= 5, "corpus present: " + files);
    for (Path f : files) {
      for (PreferenceFormat format : PreferenceFormat.values()) {
        for (boolean skip : new boolean[] {true, false}) {
          try {
            PairReader.readAll(f, ReadOptions.defaults().withFormat(format).withSkipBad(skip));
          } catch (BadRecordException | DataFileException expected) {
            assertTrue(expected.getMessage().startsWith(f.toString()), expected.getMessage());
          }
        }
      }
    }
  }
}
