package org.ser4j.data.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ser4j.data.format.Fixtures.assertBad;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.data.BadRecordException;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.SourceRef;
import org.ser4j.data.Turn;

public class HhRlhfReaderTest {
  @TempDir Path dir;

  private static final PreferenceFormat HH = PreferenceFormat.HH_RLHF;

  @Test
  void multiTurnTranscriptBecomesPromptTurnsAndFinalReplies() throws Exception {
    Path file =
        Fixtures.write(
            dir,
            "hh.jsonl",
            "{\"chosen\": \"\\n\\nHuman: Hi\\n\\nAssistant: Hello!\\n\\nHuman: Tell me a joke\\n\\nAssistant: Why did the chicken cross the road?\","
                + " \"rejected\": \"\\n\\nHuman: Hi\\n\\nAssistant: Hello!\\n\\nHuman: Tell me a joke\\n\\nAssistant: No.\"}");
    List<PreferencePair> pairs = Fixtures.read(file);
    assertEquals(1, pairs.size());
    PreferencePair pair = pairs.get(0);
    assertEquals(
        List.of(Turn.user("Hi"), Turn.assistant("Hello!"), Turn.user("Tell me a joke")),
        pair.prompt().turns());
    assertTrue(pair.prompt().isMultiTurn());
    assertEquals("Why did the chicken cross the road?", pair.chosen());
    assertEquals("No.", pair.rejected());
    assertEquals(new SourceRef(file.toString(), 1), pair.source());
    assertEquals(
        PreferencePair.contentId(pair.prompt(), pair.chosen(), pair.rejected()), pair.id());
  }

  @Test
  void transcriptsThatDifferBeforeTheLastReplyAreReportedNotMangled() throws Exception {
    BadRecordException e =
        assertBad(
            dir,
            HH,
            "{\"chosen\": \"\\n\\nHuman: A\\n\\nAssistant: B\", \"rejected\": \"\\n\\nHuman: X\\n\\nAssistant: B\"}",
            "rejected",
            "prompt-mismatch");
    assertTrue(e.getMessage().contains("turn 1"), e.getMessage());
  }

  @Test
  void whitespaceOnlyReplyIsAnEmptyResponse() throws Exception {
    assertBad(
        dir,
        HH,
        "{\"chosen\": \"\\n\\nHuman: A\\n\\nAssistant:   \", \"rejected\": \"\\n\\nHuman: A\\n\\nAssistant: B\"}",
        "chosen",
        "empty-response");
  }

  @Test
  void missingRejected() throws Exception {
    assertBad(
        dir, HH, "{\"chosen\": \"\\n\\nHuman: A\\n\\nAssistant: B\"}", "rejected", "missing-field");
  }

  @Test
  void nonStringChosen() throws Exception {
    assertBad(
        dir,
        HH,
        "{\"chosen\": 42, \"rejected\": \"\\n\\nHuman: A\\n\\nAssistant: B\"}",
        "chosen",
        "wrong-type");
  }

  @Test
  void textWithoutTurnMarkers() throws Exception {
    assertBad(
        dir,
        HH,
        "{\"chosen\": \"just text\", \"rejected\": \"\\n\\nHuman: A\\n\\nAssistant: B\"}",
        "chosen",
        "bad-transcript");
  }

  @Test
  void transcriptEndingWithHumanTurn() throws Exception {
    assertBad(
        dir,
        HH,
        "{\"chosen\": \"\\n\\nHuman: A\\n\\nAssistant: B\\n\\nHuman: C\", \"rejected\": \"\\n\\nHuman: A\\n\\nAssistant: B\"}",
        "chosen",
        "no-final-reply");
  }

  @Test
  void malformedJson() throws Exception {
    assertBad(dir, HH, "{\"chosen\": \"\\n\\nHuman: A", "(json)", "malformed-json");
  }

  @Test
  void jsonThatIsNotAnObject() throws Exception {
    assertBad(dir, HH, "[1, 2]", "(json)", "not-an-object");
  }
}
