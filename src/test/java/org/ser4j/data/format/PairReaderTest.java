package org.ser4j.data.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.data.BadRecordException;
import org.ser4j.data.DataFileException;
import org.ser4j.data.PreferencePair;

/** File-level behaviour shared by every format: gzip, encoding, blank lines, skipping. */
public class PairReaderTest {
  @TempDir Path dir;

  private static final String GOOD_A =
      "{\"prompt\": \"p1\", \"chosen\": \"a\", \"rejected\": \"b\"}";
  private static final String GOOD_B =
      "{\"prompt\": \"p2\", \"chosen\": \"c\", \"rejected\": \"d\"}";

  @Test
  void gzipAndPlainReadTheSamePairs() throws Exception {
    List<PreferencePair> plain = Fixtures.read(Fixtures.write(dir, "x.jsonl", GOOD_A, GOOD_B));
    List<PreferencePair> gz = Fixtures.read(Fixtures.write(dir, "x.jsonl.gz", GOOD_A, GOOD_B));
    assertEquals(2, plain.size());
    assertEquals(
        plain.stream().map(PreferencePair::id).toList(),
        gz.stream().map(PreferencePair::id).toList());
    assertEquals(plain.get(1).chosen(), gz.get(1).chosen());
  }

  @Test
  void gzipIsDetectedByContentNotName() throws Exception {
    Path gz = Fixtures.write(dir, "x.jsonl.gz", GOOD_A);
    Path misnamed = Files.copy(gz, dir.resolve("really-gzip.jsonl"));
    assertEquals(1, Fixtures.read(misnamed).size());
  }

  @Test
  void emptyFileHasNoPairsAndNoFormat() throws Exception {
    Path file = dir.resolve("empty.jsonl");
    Files.write(file, new byte[0]);
    PairReader.ReadResult result = PairReader.readAll(file, ReadOptions.defaults());
    assertEquals(0, result.records());
    assertTrue(result.pairs().isEmpty());
    assertNull(result.format());
  }

  @Test
  void blankLinesAreIgnoredButLineNumbersStayTrue() throws Exception {
    Path file = Fixtures.write(dir, "x.jsonl", "", GOOD_A, "   ", GOOD_B);
    PairReader.ReadResult result = PairReader.readAll(file, ReadOptions.defaults());
    assertEquals(2, result.records());
    assertEquals(2, result.pairs().get(0).source().line());
    assertEquals(4, result.pairs().get(1).source().line());
  }

  @Test
  void windowsLineEndings() throws Exception {
    Path file = dir.resolve("crlf.jsonl");
    Files.writeString(file, GOOD_A + "\r\n" + GOOD_B + "\r\n");
    assertEquals("d", Fixtures.read(file).get(1).rejected());
  }

  @Test
  void invalidUtf8IsReportedByLineAndCanBeSkipped() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write((GOOD_A + "\n").getBytes(StandardCharsets.UTF_8));
    bytes.write("{\"prompt\": \"caf".getBytes(StandardCharsets.UTF_8));
    bytes.write(new byte[] {(byte) 0xE9, (byte) 0x22}); // Latin-1 'é' then '"': not UTF-8
    bytes.write(", \"chosen\": \"a\", \"rejected\": \"b\"}\n".getBytes(StandardCharsets.UTF_8));
    bytes.write((GOOD_B + "\n").getBytes(StandardCharsets.UTF_8));
    Path file = dir.resolve("latin1.jsonl");
    Files.write(file, bytes.toByteArray());

    BadRecordException e = assertThrows(BadRecordException.class, () -> Fixtures.read(file));
    assertTrue(
        e.getMessage().startsWith(file + ":2: field '(line)': invalid UTF-8 at byte 16"),
        e.getMessage());
    assertEquals("invalid-utf8", e.reason());

    PairReader.ReadResult skipping =
        PairReader.readAll(file, ReadOptions.defaults().withSkipBad(true));
    assertEquals(
        List.of("p1", "p2"), skipping.pairs().stream().map(p -> p.prompt().lastTurn()).toList());
    assertEquals(1L, skipping.skipped().byReason().get("invalid-utf8"));
    assertEquals(3, skipping.records());
  }

  @Test
  void skippingCountsEachReasonAndKeepsExamples() throws Exception {
    Path file =
        Fixtures.write(
            dir,
            "mixed.jsonl",
            GOOD_A,
            "{\"prompt\": \"p\", \"chosen\": \"a\"}",
            "not json",
            "{\"prompt\": \"p\", \"chosen\": 1, \"rejected\": \"b\"}",
            "{\"prompt\": \"p\", \"rejected\": \"b\"}",
            GOOD_B);
    PairReader.ReadResult result =
        PairReader.readAll(file, ReadOptions.defaults().withSkipBad(true));
    assertEquals(2, result.pairs().size());
    assertEquals(4, result.skipped().total());
    assertEquals(2L, result.skipped().byReason().get("missing-field"));
    assertEquals(1L, result.skipped().byReason().get("malformed-json"));
    assertEquals(1L, result.skipped().byReason().get("wrong-type"));
    assertTrue(
        result.skipped().examples().get(0).startsWith(file + ":2: field 'rejected'"),
        result.skipped().examples().get(0));
    assertEquals(
        "skipped 4 bad records (malformed-json: 1, missing-field: 2, wrong-type: 1)",
        result.skipped().summary());
  }

  @Test
  void truncatedGzipIsAFileError() throws Exception {
    String[] lines = new String[2000];
    for (int i = 0; i < lines.length; i++) {
      lines[i] = "{\"prompt\": \"p" + i + "\", \"chosen\": \"a" + i + "\", \"rejected\": \"b\"}";
    }
    byte[] whole = Files.readAllBytes(Fixtures.write(dir, "full.jsonl.gz", lines));
    Path cut = dir.resolve("cut.jsonl.gz");
    Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
    DataFileException e = assertThrows(DataFileException.class, () -> Fixtures.read(cut));
    assertTrue(
        e.getMessage().startsWith(cut + ": gzip data truncated or corrupt after line "),
        e.getMessage());
  }

  @Test
  void overlongLineIsABadRecordAndTheNextLineStillReads() throws Exception {
    String longLine =
        "{\"prompt\": \"" + "x".repeat(5000) + "\", \"chosen\": \"a\", \"rejected\": \"b\"}";
    Path file = Fixtures.write(dir, "long.jsonl", GOOD_A, longLine, GOOD_B);
    ReadOptions small = ReadOptions.defaults().withMaxLineBytes(1000);
    BadRecordException e = assertThrows(BadRecordException.class, () -> Fixtures.read(file, small));
    assertTrue(
        e.getMessage().startsWith(file + ":2: field '(line)': line longer than 1000 bytes"),
        e.getMessage());
    assertEquals(2, Fixtures.read(file, small.withSkipBad(true)).size());
  }

  @Test
  void unknownFormatSaysWhatWasExpected() throws Exception {
    Path file = Fixtures.write(dir, "odd.jsonl", "{\"question\": \"q\", \"answer\": \"a\"}");
    BadRecordException e = assertThrows(BadRecordException.class, () -> Fixtures.read(file));
    assertTrue(
        e.getMessage()
            .startsWith(
                file
                    + ":1: field '(record)': cannot detect the format from fields [question, answer]"),
        e.getMessage());
    assertTrue(e.getMessage().contains("--format"), e.getMessage());
  }

  @Test
  void missingFile() {
    Path file = dir.resolve("nope.jsonl");
    DataFileException e = assertThrows(DataFileException.class, () -> Fixtures.read(file));
    assertEquals(file + ": no such file", e.getMessage());
  }

  @Test
  void writtenPairsReadBackTheSame() throws Exception {
    Path source =
        Fixtures.write(
            dir,
            "hh.jsonl",
            "{\"chosen\": \"\\n\\nHuman: Hi\\n\\nAssistant: Hey\\n\\nHuman: Joke?\\n\\nAssistant: Knock knock\", \"rejected\": \"\\n\\nHuman: Hi\\n\\nAssistant: Hey\\n\\nHuman: Joke?\\n\\nAssistant: No\"}",
            "{\"chosen\": \"\\n\\nHuman: 2+2?\\n\\nAssistant: 4\", \"rejected\": \"\\n\\nHuman: 2+2?\\n\\nAssistant: 5\"}");
    List<PreferencePair> pairs = Fixtures.read(source);
    Path copy = dir.resolve("out/copy.jsonl.gz");
    PairWriter.write(copy, pairs);
    List<PreferencePair> back = Fixtures.read(copy);
    assertEquals(pairs.size(), back.size());
    for (int i = 0; i < pairs.size(); i++) {
      assertEquals(pairs.get(i).id(), back.get(i).id());
      assertEquals(pairs.get(i).prompt(), back.get(i).prompt());
      assertEquals(pairs.get(i).chosen(), back.get(i).chosen());
      assertEquals(pairs.get(i).rejected(), back.get(i).rejected());
    }
    try (var files = Files.list(copy.getParent())) {
      assertEquals(List.of(copy), files.toList(), "no temporary file left behind");
    }
  }
}
