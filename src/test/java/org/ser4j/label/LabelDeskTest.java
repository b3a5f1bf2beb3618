package org.ser4j.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.ReadOptions;

/** Who gets which pair, what the label file holds, and how it comes back after a restart. */
class LabelDeskTest {
  @TempDir Path dir;
  final AtomicLong now = new AtomicLong(1_000_000);

  /** A queue of {@code n} pairs, ids q0, q1, ...; answer a is "good i", b "bad i". */
  static Path queue(Path dir, int n) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(
          String.format(
              "{\"rank\":%d,\"id\":\"q%d\",\"prompt\":\"question %d\",\"response_a\":\"good %d\",\"response_b\":\"bad %d\",\"p_a\":0.5,\"preferred\":null}",
              i + 1, i, i, i, i));
    }
    Path q = dir.resolve("queue.jsonl");
    Files.write(q, lines);
    return q;
  }

  LabelDesk open(int pairs, int overlap) throws IOException {
    return LabelDesk.open(
        LabelQueue.read(queue(dir, pairs)),
        dir.resolve("labels.jsonl"),
        overlap,
        60_000,
        7,
        now::get);
  }

  @Test
  void withOverlapOneNoTwoAnnotatorsHoldTheSamePair() throws IOException {
    try (LabelDesk desk = open(4, 1)) {
      Set<String> held = new HashSet<>();
      for (String who : List.of("ann", "bob", "cy", "dee")) {
        assertTrue(held.add(desk.next(who).pair().id()), who + " got a pair someone holds");
      }
      assertNull(desk.next("eve"), "four pairs, four leases: nothing left for a fifth");
      assertEquals(desk.next("ann").pair().id(), "q0", "asking again shows the same pair");
    }
  }

  @Test
  void anAbandonedLeaseExpiresAndThePairGoesToSomeoneElse() throws IOException {
    try (LabelDesk desk = open(1, 1)) {
      assertEquals("q0", desk.next("ann").pair().id());
      assertNull(desk.next("bob"));
      now.addAndGet(59_999);
      assertNull(desk.next("bob"), "the lease still runs");
      now.addAndGet(2);
      assertEquals("q0", desk.next("bob").pair().id(), "ann's lease ran out");
    }
  }

  @Test
  void withOverlapTwoEachPairGoesToTwoAnnotatorsAndSkipsDoNotCount() throws IOException {
    try (LabelDesk desk = open(2, 2)) {
      assertEquals("q0", desk.next("ann").pair().id());
      assertEquals("q0", desk.next("bob").pair().id(), "q0 wants two labels");
      assertEquals("q1", desk.next("cy").pair().id(), "q0 has two leases");
      desk.label("ann", "q0", Choice.SKIP);
      assertEquals("q0", desk.next("dee").pair().id(), "a skip is no label: q0 still wants one");
      assertEquals("q1", desk.next("ann").pair().id(), "ann skipped q0: never shown it again");
      desk.label("bob", "q0", Choice.A);
      desk.label("dee", "q0", Choice.B);
      assertEquals(new LabelDesk.Progress(1, 1, 2, 3), desk.progress("dee"));
    }
  }

  @Test
  void theOrderIsDrawnPerPairAndAnnotatorAndKept() throws IOException {
    try (LabelDesk desk = open(40, 40)) {
      int aLeft = 0;
      for (int i = 0; i < 40; i++) {
        LabelDesk.Shown s = desk.shown("ann", "q" + i);
        assertEquals(s.aLeft(), desk.shown("ann", "q" + i).aLeft(), "the same page on a reload");
        assertEquals(s.aLeft() ? "good " + i : "bad " + i, s.left());
        aLeft += s.aLeft() ? 1 : 0;
      }
      assertTrue(
          aLeft > 8 && aLeft < 32, "both orders are drawn: a on the left " + aLeft + " of 40");
      int differ = 0;
      for (int i = 0; i < 40; i++) {
        differ += desk.shown("ann", "q" + i).aLeft() != desk.shown("bob", "q" + i).aLeft() ? 1 : 0;
      }
      assertTrue(differ > 5, "annotators draw their own orders: " + differ + " of 40 differ");
    }
  }

  @Test
  void labelsAreOnDiskReadableByAddLabelsAndARetryIsKeptOnce() throws IOException {
    Path out = dir.resolve("labels.jsonl");
    try (LabelDesk desk = open(3, 1)) {
      assertTrue(desk.label("ann", "q0", Choice.A).written());
      assertFalse(desk.label("ann", "q0", Choice.A).written(), "a retry writes nothing");
      desk.label("ann", "q1", Choice.B);
      desk.label("ann", "q2", Choice.TIE);
      // on disk already, before the desk is closed
      assertEquals(3, Files.readAllLines(out).size());
    }
    List<PreferencePair> pairs = PairReader.readAll(out, ReadOptions.defaults()).pairs();
    assertEquals(2, pairs.size(), "a and b give pairs, the tie none");
    assertEquals("good 0", pairs.get(0).chosen());
    assertEquals("bad 1", pairs.get(1).chosen());
    String first = Files.readAllLines(out).get(0);
    for (String field :
        List.of("\"annotator\":\"ann\"", "\"time\":", "\"shown_left\":", "\"id\":\"q0\"")) {
      assertTrue(first.contains(field), field + " in " + first);
    }
  }

  @Test
  void undoTakesTheLabelOutOfTheFileAndShowsThePairAgain() throws IOException {
    Path out = dir.resolve("labels.jsonl");
    try (LabelDesk desk = open(3, 1)) {
      desk.label("ann", "q0", Choice.A);
      desk.label("bob", "q1", Choice.A);
      desk.label("ann", "q2", Choice.B);
      assertEquals("q2", desk.undo("ann").next().pair().id());
      assertEquals(2, Files.readAllLines(out).size());
      assertFalse(Files.readString(out).contains("\"id\":\"q2\""));
      assertEquals("q2", desk.next("ann").pair().id(), "the undone pair is ann's again");
      desk.label("ann", "q2", Choice.A);
      assertEquals("q2", desk.undo("ann").next().pair().id());
      assertEquals("q0", desk.undo("ann").next().pair().id(), "undo again: the label before");
      assertFalse(desk.undo("ann").written(), "nothing left to undo");
      assertEquals(1, Files.readAllLines(out).size(), "only bob's label is left");
    }
  }

  @Test
  void undoingASkipWhosePairOthersTookShowsTheNextPair() throws IOException {
    try (LabelDesk desk = open(2, 1)) {
      desk.label("ann", "q0", Choice.SKIP);
      assertEquals("q0", desk.next("bob").pair().id());
      LabelDesk.Saved undone = desk.undo("ann");
      assertTrue(undone.written());
      assertEquals("q1", undone.next().pair().id(), "bob holds q0 now");
      assertTrue(desk.annotations().isEmpty());
    }
  }

  @Test
  void aRestartContinuesWhereEachAnnotatorStoppedAndDropsACutOffLine() throws IOException {
    Path out = dir.resolve("labels.jsonl");
    try (LabelDesk desk = open(4, 1)) {
      desk.label("ann", "q0", Choice.A);
      desk.label("bob", "q1", Choice.B);
    }
    // kill -9 in the middle of a write leaves part of a line
    Files.writeString(out, "{\"id\":\"q2\",\"prompt\":\"quest", StandardOpenOption.APPEND);
    try (LabelDesk desk = open(4, 1)) {
      assertTrue(desk.note().contains("cut short"), desk.note());
      assertEquals(2, desk.annotations().size());
      assertEquals(1, desk.progress("ann").yours());
      assertEquals("q2", desk.next("ann").pair().id());
      assertEquals("q3", desk.next("bob").pair().id());
      desk.label("ann", "q2", Choice.A);
    }
    assertEquals(3, Files.readAllLines(out).size());
    assertTrue(Files.readString(out).endsWith("\n"));
  }

  @Test
  void aBadLineInTheMiddleIsAnErrorNamingFileLineAndFieldAndNothingChanges() throws IOException {
    Path out = dir.resolve("labels.jsonl");
    try (LabelDesk desk = open(3, 1)) {
      desk.label("ann", "q0", Choice.A);
      desk.label("ann", "q1", Choice.A);
    }
    List<String> lines = Files.readAllLines(out);
    lines.set(0, lines.get(0).replace("\"preferred\":\"a\"", "\"preferred\":\"maybe\""));
    Files.write(out, lines);
    byte[] before = Files.readAllBytes(out);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> open(3, 1));
    assertTrue(e.getMessage().contains("labels.jsonl:1: field 'preferred'"), e.getMessage());
    assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(out));
  }

  @Test
  void repeatedIdsInTheQueueAreToldApartTheSameWayOnEveryReading() throws IOException {
    Path q = dir.resolve("dup.jsonl");
    Files.write(
        q,
        List.of(
            "{\"id\":\"x\",\"prompt\":\"p\",\"response_a\":\"1\",\"response_b\":\"2\"}",
            "{\"id\":\"x\",\"prompt\":\"p\",\"response_a\":\"3\",\"response_b\":\"4\"}",
            "{\"id\":\"x\",\"prompt\":\"p\",\"response_a\":\"5\",\"response_b\":\"6\"}"));
    LabelQueue queue = LabelQueue.read(q);
    assertEquals(2, queue.renamed());
    assertEquals(
        List.of("x", "x~2", "x~3"),
        List.of(queue.get(0).id(), queue.get(1).id(), queue.get(2).id()));
    assertEquals(1, queue.position("x~2"));
    assertEquals("3", queue.get(queue.position("x~2")).first());
  }

  @Test
  void resolvedLabelsFollowTheMajorityOrDropDisagreements() throws IOException {
    try (LabelDesk desk = open(3, 3)) {
      for (String[] l :
          new String[][] {
            {"ann", "q0", "a"}, {"bob", "q0", "a"}, {"cy", "q0", "b"},
            {"ann", "q1", "a"}, {"bob", "q1", "b"}, {"cy", "q1", "skip"},
            {"ann", "q2", "b"}, {"bob", "q2", "b"}
          }) {
        desk.label(l[0], l[1], Choice.of(l[2]));
      }
      Path majority = dir.resolve("majority.jsonl");
      assertEquals(2, desk.writeResolved(majority, Agreement.Resolve.MAJORITY), "q1 is 1 to 1");
      List<PreferencePair> pairs = PairReader.readAll(majority, ReadOptions.defaults()).pairs();
      assertEquals(List.of("good 0", "bad 2"), pairs.stream().map(PreferencePair::chosen).toList());
      assertTrue(Files.readString(majority).contains("\"votes\":{\"a\":2,\"b\":1}"));
      Path drop = dir.resolve("drop.jsonl");
      assertEquals(1, desk.writeResolved(drop, Agreement.Resolve.DROP));
      assertNotEquals(Files.readString(majority), Files.readString(drop));
    }
  }
}
