package org.ser4j.data.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ser4j.data.format.Fixtures.assertBad;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;
import org.ser4j.data.Role;
import org.ser4j.data.Turn;

public class TrlReaderTest {
  @TempDir Path dir;

  private static final PreferenceFormat TRL = PreferenceFormat.TRL;

  @Test
  void stringFields() throws Exception {
    Path file =
        Fixtures.write(
            dir,
            "trl.jsonl",
            "{\"id\": \"q1\", \"prompt\": \"2+2?\", \"chosen\": \"4\", \"rejected\": \"5\"}");
    PreferencePair pair = Fixtures.read(file).get(0);
    assertEquals("q1", pair.id());
    assertEquals(Prompt.of("2+2?"), pair.prompt());
    assertEquals("4", pair.chosen());
    assertEquals("5", pair.rejected());
  }

  @Test
  void conversationalWithExplicitPrompt() throws Exception {
    Path file =
        Fixtures.write(
            dir,
            "trl.jsonl",
            "{\"prompt\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"Hi\"}],"
                + " \"chosen\": [{\"role\": \"assistant\", \"content\": \"Hello\"}],"
                + " \"rejected\": [{\"role\": \"assistant\", \"content\": \"Go away\"}]}");
    PreferencePair pair = Fixtures.read(file).get(0);
    assertEquals(
        List.of(new Turn(Role.SYSTEM, "Be brief."), Turn.user("Hi")), pair.prompt().turns());
    assertEquals("Hello", pair.chosen());
    assertEquals("Go away", pair.rejected());
  }

  @Test
  void conversationalWithImplicitPrompt() throws Exception {
    Path file =
        Fixtures.write(
            dir,
            "trl.jsonl",
            "{\"chosen\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello\"}],"
                + " \"rejected\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Bye\"}]}");
    PairReader.ReadResult result = PairReader.readAll(file, ReadOptions.defaults());
    assertEquals(PreferenceFormat.TRL, result.format());
    assertEquals(Prompt.of("Hi"), result.pairs().get(0).prompt());
    assertEquals("Bye", result.pairs().get(0).rejected());
  }

  @Test
  void missingChosen() throws Exception {
    assertBad(dir, TRL, "{\"prompt\": \"p\", \"rejected\": \"r\"}", "chosen", "missing-field");
  }

  @Test
  void chosenOfWrongType() throws Exception {
    assertBad(
        dir,
        TRL,
        "{\"prompt\": \"p\", \"chosen\": {\"text\": \"c\"}, \"rejected\": \"r\"}",
        "chosen",
        "wrong-type");
  }

  @Test
  void promptOfWrongType() throws Exception {
    assertBad(
        dir,
        TRL,
        "{\"prompt\": 7, \"chosen\": \"c\", \"rejected\": \"r\"}",
        "prompt",
        "wrong-type");
  }

  @Test
  void whitespaceOnlyRejected() throws Exception {
    assertBad(
        dir,
        TRL,
        "{\"prompt\": \"p\", \"chosen\": \"c\", \"rejected\": \" \\n\\t\"}",
        "rejected",
        "empty-response");
  }

  @Test
  void blankPrompt() throws Exception {
    assertBad(
        dir,
        TRL,
        "{\"prompt\": \"  \", \"chosen\": \"c\", \"rejected\": \"r\"}",
        "prompt",
        "empty-prompt");
  }

  @Test
  void unknownRole() throws Exception {
    assertBad(
        dir,
        TRL,
        "{\"prompt\": [{\"role\": \"narrator\", \"content\": \"x\"}], \"chosen\": \"c\", \"rejected\": \"r\"}",
        "prompt[0].role",
        "bad-role");
  }

  @Test
  void messageWithoutContent() throws Exception {
    assertBad(
        dir,
        TRL,
        "{\"prompt\": \"p\", \"chosen\": [{\"role\": \"assistant\"}], \"rejected\": \"r\"}",
        "chosen[0].content",
        "missing-field");
  }

  @Test
  void messageThatIsNotAnObject() throws Exception {
    assertBad(
        dir,
        TRL,
        "{\"prompt\": \"p\", \"chosen\": [\"c\"], \"rejected\": \"r\"}",
        "chosen[0]",
        "wrong-type");
  }

  @Test
  void emptyMessageList() throws Exception {
    assertBad(
        dir,
        TRL,
        "{\"prompt\": \"p\", \"chosen\": [], \"rejected\": \"r\"}",
        "chosen",
        "empty-response");
  }

  @Test
  void implicitPromptsThatDiffer() throws Exception {
    assertBad(
        dir,
        TRL,
        "{\"chosen\": [{\"role\": \"user\", \"content\": \"A\"}, {\"role\": \"assistant\", \"content\": \"x\"}],"
            + " \"rejected\": [{\"role\": \"user\", \"content\": \"B\"}, {\"role\": \"assistant\", \"content\": \"y\"}]}",
        "rejected",
        "prompt-mismatch");
  }

  @Test
  void noPromptAtAll() throws Exception {
    assertBad(dir, TRL, "{\"chosen\": \"c\", \"rejected\": \"r\"}", "chosen", "empty-prompt");
  }
}
