package org.ser4j.data.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.data.BadRecordException;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.testing.SharedData;
import org.ser4j.util.Json;

/** An unlabeled pool is read as pairs with no preference, in both record forms; labels never. */
class UnlabeledReaderTest {
  @TempDir Path dir;

  private Path write(String... lines) throws Exception {
    Path f = dir.resolve("pool-" + lines.length + "-" + lines[0].length() + ".jsonl");
    Files.write(f, List.of(lines));
    return f;
  }

  @Test
  void readsPairsAndPromptsWithSeveralAnswersPairedInOrder() throws Exception {
    Path f =
        write(
            "{\"id\": \"q1\", \"prompt\": \"Name a colour.\", \"response_a\": \"Red.\", \"response_b\": \"Blue is one.\"}",
            "",
            "{\"prompt\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello!\"}, {\"role\": \"user\", \"content\": \"Count to two.\"}], \"responses\": [\"One, two.\", {\"response\": \"1 2\"}, \"two\"]}");
    UnlabeledReader.Result r = UnlabeledReader.read(f);
    assertEquals(2, r.records());
    List<UnlabeledPair> p = r.pairs();
    assertEquals(3, p.size(), "one pair, then three answers paired in order: two pairs");
    assertEquals(List.of(0, 1, 2), p.stream().map(UnlabeledPair::key).toList());
    assertEquals("q1", p.get(0).id());
    assertEquals("Red.", p.get(0).first());
    assertEquals("Blue is one.", p.get(0).second());
    assertEquals("One, two.", p.get(1).first());
    assertEquals("1 2", p.get(1).second());
    assertEquals("1 2", p.get(2).first());
    assertEquals("two", p.get(2).second());
    assertTrue(p.get(1).prompt().isMultiTurn(), "the messages are kept as turns");
    assertEquals(p.get(1).prompt(), p.get(2).prompt());
    assertEquals(3, p.get(1).source().line(), "blank lines count in line numbers");
    assertTrue(r.warnings().isEmpty(), r.warnings().toString());
  }

  @Test
  void aPreferenceFieldIsIgnoredWithAWarning() throws Exception {
    Path f =
        write(
            "{\"prompt\": \"p\", \"response_a\": \"a\", \"response_b\": \"b\", \"chosen\": \"b\", \"preference\": 2}",
            "{\"prompt\": \"p\", \"response_a\": \"c\", \"response_b\": \"c\"}");
    UnlabeledReader.Result r = UnlabeledReader.read(f);
    assertEquals(1, r.pairs().size(), "two identical answers make no pair");
    assertEquals("a", r.pairs().get(0).first(), "the order as written, not the 'label'");
    assertEquals(3, r.warnings().size(), r.warnings().toString());
    assertTrue(r.warnings().get(0).contains("'chosen' in 1 record"), r.warnings().get(0));
    assertTrue(r.warnings().get(1).contains("'preference'"), r.warnings().get(1));
    assertTrue(r.warnings().get(2).contains("identical answers"), r.warnings().get(2));
  }

  @Test
  void aMalformedRecordNamesFileLineAndField() throws Exception {
    Path f =
        write(
            "{\"prompt\": \"p\", \"response_a\": \"a\", \"response_b\": \"b\"}",
            "{\"prompt\": \"p\", \"response_a\": \"a\"}",
            "{\"prompt\": \"p\", \"responses\": [\"only one\"]}");
    BadRecordException e = assertThrows(BadRecordException.class, () -> UnlabeledReader.read(f));
    assertEquals(2, e.source().line());
    assertEquals("response_b", e.field());
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    Path g = write("{\"prompt\": \"p\", \"responses\": [\"only one\"]}");
    BadRecordException few = assertThrows(BadRecordException.class, () -> UnlabeledReader.read(g));
    assertEquals("responses", few.field());
    Path h = write("{\"question\": \"p\"}");
    assertEquals(
        "prompt", assertThrows(BadRecordException.class, () -> UnlabeledReader.read(h)).field());
  }

  @Test
  void aRealPoolWithItsLabelsStrippedReadsPairForPair() throws Exception {
    List<PreferencePair> labeled =
        PairReader.readAll(
                SharedData.require(SharedData.ULTRAFEEDBACK_EVAL),
                ReadOptions.defaults().withSkipBad(true))
            .pairs();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < labeled.size(); i++) {
      PreferencePair p = labeled.get(i);
      ObjectNode n = Json.LINE.createObjectNode();
      n.put("prompt", p.prompt().turns().get(0).content()); // single-turn prompts
      // Half the pairs with the preferred answer second: position says nothing.
      n.put("response_a", i % 2 == 0 ? p.chosen() : p.rejected());
      n.put("response_b", i % 2 == 0 ? p.rejected() : p.chosen());
      lines.add(Json.LINE.writeValueAsString(n));
    }
    Path pool = dir.resolve("ultrafeedback-pool.jsonl");
    Files.write(pool, lines);
    UnlabeledReader.Result r = UnlabeledReader.read(pool);
    List<Integer> distinct = new ArrayList<>();
    for (int i = 0; i < labeled.size(); i++) {
      if (!labeled.get(i).chosen().equals(labeled.get(i).rejected())) {
        distinct.add(i);
      }
    }
    assertEquals(distinct.size(), r.pairs().size(), "every pair of two different answers");
    assertEquals(
        labeled.size() - distinct.size() > 0, !r.warnings().isEmpty(), r.warnings().toString());
    for (int k = 0; k < distinct.size(); k += 37) {
      int i = distinct.get(k);
      UnlabeledPair u = r.pairs().get(k);
      assertEquals(i % 2 == 0 ? labeled.get(i).chosen() : labeled.get(i).rejected(), u.first());
      assertEquals(labeled.get(i).prompt().transcript(), u.prompt().transcript());
    }
  }
}
