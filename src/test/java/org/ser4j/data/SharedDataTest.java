package org.ser4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.ser4j.data.format.DatasetStats;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.PreferenceFormat;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.data.split.Splits;
import org.ser4j.testing.SharedData;

/** The readers on the real shared files, checked against counts taken another way. */
class SharedDataTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * An independent count of the usable HH-RLHF pairs: split each transcript at its last
   * "\n\nAssistant:" and keep the record if both prefixes agree and both replies have text.
   */
  private static long[] independentHhCount(Path file) throws Exception {
    long lines = 0;
    long usable = 0;
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines++;
        JsonNode record = JSON.readTree(line);
        String c = record.get("chosen").asText();
        String r = record.get("rejected").asText();
        int ci = c.lastIndexOf("\n\nAssistant:");
        int ri = r.lastIndexOf("\n\nAssistant:");
        boolean samePrompt = c.substring(0, ci).equals(r.substring(0, ri));
        boolean replies = !c.substring(ci + 12).isBlank() && !r.substring(ri + 12).isBlank();
        usable += samePrompt && replies ? 1 : 0;
      }
    }
    return new long[] {lines, usable};
  }

  @Test
  void hhRlhfCountsMatchAnIndependentCount() throws Exception {
    Path file = SharedData.require(SharedData.HH_RLHF);
    long[] expected = independentHhCount(file);
    DatasetStats stats = DatasetStats.of(file, ReadOptions.defaults());
    assertEquals(PreferenceFormat.HH_RLHF, stats.format());
    assertEquals(expected[0], stats.records(), "records = the file's line count");
    assertEquals(expected[1], stats.pairs());
    assertEquals(expected[0] - expected[1], stats.skipped().total());
    assertTrue(
        stats.multiTurnShare() > 0.5, "HH-RLHF is mostly multi-turn: " + stats.multiTurnShare());
  }

  @Test
  void hhRlhfFailsOnTheFirstBadRecordUnlessSkipping() {
    Path file = SharedData.require(SharedData.HH_RLHF);
    BadRecordException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            BadRecordException.class, () -> PairReader.readAll(file, ReadOptions.defaults()));
    assertTrue(e.getMessage().startsWith(file + ":87: field 'chosen'"), e.getMessage());
  }

  @Test
  void ultraFeedbackAndAlpacaEvalReadEveryLine() throws Exception {
    for (Path file :
        new Path[] {
          SharedData.ULTRAFEEDBACK_TRAIN, SharedData.ULTRAFEEDBACK_EVAL, SharedData.ALPACAEVAL
        }) {
      SharedData.require(file);
      long lines;
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
        lines = in.lines().count();
      }
      DatasetStats stats = DatasetStats.of(file, ReadOptions.defaults());
      assertEquals(PreferenceFormat.TRL, stats.format(), file.toString());
      assertEquals(lines, stats.records(), file.toString());
      assertEquals(lines, stats.pairs() + stats.skipped().total(), file.toString());
    }
  }

  @Test
  void alpacaEvalSplitByPromptShareNoPrompt() {
    Path file = SharedData.require(SharedData.ALPACAEVAL);
    PairReader.ReadResult read = PairReader.readAll(file, ReadOptions.defaults().withSkipBad(true));
    Splits.TrainTest split = Splits.byPrompt(Splits.dropTies(read.pairs()).kept(), 0.2, 1);
    Set<String> train = new HashSet<>();
    split.train().forEach(p -> train.add(p.prompt().transcript()));
    assertTrue(split.test().stream().noneMatch(p -> train.contains(p.prompt().transcript())));
    assertTrue(
        split.test().size() > 0.19 * read.pairs().size(), "test size " + split.test().size());
  }
}
