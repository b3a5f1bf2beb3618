package org.ser4j.data.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ser4j.data.format.Fixtures.assertBad;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.data.PreferencePair;

/** UltraFeedback, StackExchange and summarize-from-feedback readers. */
public class RatedFormatsReaderTest {
  @TempDir Path dir;

  private static final String UF =
      "{\"instruction\": \"Name a color\", \"completions\": ["
          + "{\"model\": \"a\", \"response\": \"blue\", \"overall_score\": 9},"
          + "{\"model\": \"b\", \"response\": \"table\", \"overall_score\": 2},"
          + "{\"model\": \"c\", \"response\": \"reddish\", \"overall_score\": 6},"
          + "{\"model\": \"d\", \"response\": \"green\", \"overall_score\": 9}]}";

  @Test
  void ultraFeedbackBestVsRandomPairsTheBestWithALowerRatedOne() throws Exception {
    Path file = Fixtures.write(dir, "uf.jsonl", UF);
    Set<String> rejectedSeen = new HashSet<>();
    for (long seed = 0; seed < 20; seed++) {
      List<PreferencePair> pairs = Fixtures.read(file, ReadOptions.defaults().withSeed(seed));
      assertEquals(1, pairs.size());
      assertEquals("blue", pairs.get(0).chosen(), "ties for best go to the first");
      assertTrue(
          Set.of("table", "reddish").contains(pairs.get(0).rejected()), pairs.get(0).rejected());
      rejectedSeen.add(pairs.get(0).rejected());
    }
    assertEquals(
        Set.of("table", "reddish"), rejectedSeen, "the lower-rated one is drawn at random");
    assertEquals(
        PreferenceFormat.ULTRAFEEDBACK, PairReader.readAll(file, ReadOptions.defaults()).format());
  }

  @Test
  void ultraFeedbackOtherRules() throws Exception {
    Path file = Fixtures.write(dir, "uf.jsonl", UF);
    List<PreferencePair> worst =
        Fixtures.read(
            file,
            ReadOptions.defaults()
                .withPairing(PairingRule.BEST_VS_WORST)
                .withMaxPairsPerPrompt(10));
    assertEquals("table", worst.get(0).rejected());
    List<PreferencePair> all =
        Fixtures.read(
            file,
            ReadOptions.defaults().withPairing(PairingRule.ALL_PAIRS).withMaxPairsPerPrompt(100));
    assertEquals(5, all.size(), "9>6, 9>2 twice, 6>2; the two 9s are not paired");
    for (PreferencePair p : all) {
      assertNotEquals(p.chosen(), p.rejected());
    }
    assertEquals(
        3,
        Fixtures.read(
                file,
                ReadOptions.defaults().withPairing(PairingRule.ALL_PAIRS).withMaxPairsPerPrompt(3))
            .size());
  }

  @Test
  void ultraFeedbackAllTiedHasNoPreference() throws Exception {
    assertBad(
        dir,
        PreferenceFormat.ULTRAFEEDBACK,
        "{\"instruction\": \"q\", \"completions\": [{\"response\": \"a\", \"overall_score\": 5}, {\"response\": \"b\", \"overall_score\": 5}]}",
        "completions",
        "no-preference");
  }

  @Test
  void ultraFeedbackRatingAsString() throws Exception {
    assertBad(
        dir,
        PreferenceFormat.ULTRAFEEDBACK,
        "{\"instruction\": \"q\", \"completions\": [{\"response\": \"a\", \"overall_score\": \"5\"}, {\"response\": \"b\", \"overall_score\": 2}]}",
        "completions[0].overall_score",
        "wrong-type");
  }

  @Test
  void ultraFeedbackMissingRating() throws Exception {
    assertBad(
        dir,
        PreferenceFormat.ULTRAFEEDBACK,
        "{\"instruction\": \"q\", \"completions\": [{\"response\": \"a\", \"overall_score\": 1}, {\"response\": \"b\"}]}",
        "completions[1].overall_score",
        "missing-field");
  }

  @Test
  void ultraFeedbackMissingCompletions() throws Exception {
    assertBad(
        dir,
        PreferenceFormat.ULTRAFEEDBACK,
        "{\"instruction\": \"q\"}",
        "completions",
        "missing-field");
  }

  @Test
  void ultraFeedbackMissingInstruction() throws Exception {
    assertBad(
        dir,
        PreferenceFormat.ULTRAFEEDBACK,
        "{\"completions\": []}",
        "instruction",
        "missing-field");
  }

  @Test
  void ultraFeedbackNaNIsNotJson() throws Exception {
    assertBad(
        dir,
        PreferenceFormat.ULTRAFEEDBACK,
        "{\"instruction\": \"q\", \"completions\": [{\"response\": \"a\", \"overall_score\": NaN}]}",
        "(json)",
        "malformed-json");
  }

  @Test
  void ultraFeedbackSingleCompletion() throws Exception {
    assertBad(
        dir,
        PreferenceFormat.ULTRAFEEDBACK,
        "{\"instruction\": \"q\", \"completions\": [{\"response\": \"a\", \"overall_score\": 1}]}",
        "completions",
        "too-few-responses");
  }

  @Test
  void stackExchangePairsByScore() throws Exception {
    Path file =
        Fixtures.write(
            dir,
            "se.jsonl",
            "{\"qid\": 17, \"question\": \"How do I exit vim?\", \"answers\": ["
                + "{\"answer_id\": 1, \"text\": \":q!\", \"pm_score\": 5, \"selected\": true},"
                + "{\"answer_id\": 2, \"text\": \"unplug it\", \"pm_score\": -1}]}");
    PairReader.ReadResult result = PairReader.readAll(file, ReadOptions.defaults());
    assertEquals(PreferenceFormat.STACKEXCHANGE, result.format());
    PreferencePair pair = result.pairs().get(0);
    assertEquals("17/0", pair.id());
    assertEquals(":q!", pair.chosen());
    assertEquals("unplug it", pair.rejected());
    assertEquals("How do I exit vim?", pair.prompt().lastTurn());
  }

  @Test
  void stackExchangeMissingAnswers() throws Exception {
    assertBad(
        dir,
        PreferenceFormat.STACKEXCHANGE,
        "{\"qid\": 1, \"question\": \"q\"}",
        "answers",
        "missing-field");
  }

  @Test
  void stackExchangeAnswersNotAList() throws Exception {
    assertBad(
        dir,
        PreferenceFormat.STACKEXCHANGE,
        "{\"question\": \"q\", \"answers\": \"a\"}",
        "answers",
        "wrong-type");
  }

  @Test
  void stackExchangeEmptyAnswerText() throws Exception {
    assertBad(
        dir,
        PreferenceFormat.STACKEXCHANGE,
        "{\"question\": \"q\", \"answers\": [{\"text\": \" \", \"pm_score\": 1}, {\"text\": \"b\", \"pm_score\": 0}]}",
        "answers[0].text",
        "empty-response");
  }

  @Test
  void stackExchangeScoreOfWrongType() throws Exception {
    assertBad(
        dir,
        PreferenceFormat.STACKEXCHANGE,
        "{\"question\": \"q\", \"answers\": [{\"text\": \"a\", \"pm_score\": \"high\"}, {\"text\": \"b\", \"pm_score\": 0}]}",
        "answers[0].pm_score",
        "wrong-type");
  }

  @Test
  void stackExchangeAnswerWithoutText() throws Exception {
    assertBad(
        dir,
        PreferenceFormat.STACKEXCHANGE,
        "{\"question\": \"q\", \"answers\": [{\"pm_score\": 3}, {\"text\": \"b\", \"pm_score\": 0}]}",
        "answers[0].text",
        "missing-field");
  }

  @Test
  void stackExchangeMissingQuestion() throws Exception {
    assertBad(
        dir,
        PreferenceFormat.STACKEXCHANGE,
        "{\"qid\": 1, \"answers\": []}",
        "question",
        "missing-field");
  }

  @Test
  void summarizeSummaryWithoutText() throws Exception {
    assertBad(
        dir,
        PreferenceFormat.SUMMARIZE,
        "{\"info\": {\"post\": \"p\"}, \"summaries\": [{\"policy\": \"x\"}, {\"text\": \"b\"}], \"choice\": 0}",
        "summaries[0].text",
        "missing-field");
  }

  private static final String SUMMARY =
      "{\"info\": {\"id\": \"t3_x\", \"post\": \"My cat ate my homework.\", \"title\": \"Help\", \"subreddit\": \"tifu\"},"
          + " \"summaries\": [{\"text\": \" cat ate homework\", \"policy\": \"a\"}, {\"text\": \" I like turtles\", \"policy\": \"b\"}],"
          + " \"choice\": %d, \"worker\": \"w1\"}";

  @Test
  void summarizeComparisonTakesTheChosenSummary() throws Exception {
    Path file =
        Fixtures.write(dir, "tldr.jsonl", String.format(SUMMARY, 0), String.format(SUMMARY, 1));
    PairReader.ReadResult result = PairReader.readAll(file, ReadOptions.defaults());
    assertEquals(PreferenceFormat.SUMMARIZE, result.format());
    assertEquals("cat ate homework", result.pairs().get(0).chosen());
    assertEquals("I like turtles", result.pairs().get(1).chosen());
    assertEquals(
        "SUBREDDIT: r/tifu\nTITLE: Help\nPOST: My cat ate my homework.\nTL;DR:",
        result.pairs().get(0).prompt().lastTurn());
  }

  @Test
  void summarizeChoiceOutOfRange() throws Exception {
    assertBad(dir, PreferenceFormat.SUMMARIZE, String.format(SUMMARY, 2), "choice", "bad-choice");
  }

  @Test
  void summarizeMissingPost() throws Exception {
    assertBad(
        dir,
        PreferenceFormat.SUMMARIZE,
        "{\"info\": {\"id\": \"x\"}, \"summaries\": [], \"choice\": 0}",
        "info.post",
        "missing-field");
  }

  @Test
  void summarizeThreeSummaries() throws Exception {
    assertBad(
        dir,
        PreferenceFormat.SUMMARIZE,
        "{\"info\": {\"post\": \"p\"}, \"summaries\": [{\"text\": \"a\"}, {\"text\": \"b\"}, {\"text\": \"c\"}], \"choice\": 0}",
        "summaries",
        "wrong-size");
  }

  @Test
  void summarizeInfoNotAnObject() throws Exception {
    assertBad(
        dir,
        PreferenceFormat.SUMMARIZE,
        "{\"info\": \"p\", \"summaries\": [], \"choice\": 0}",
        "info",
        "wrong-type");
  }
}
