package org.ser4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.testing.TestEncoders;

/**
 * A pool with one bad record (a whitespace-only answer, as AlpacaEval's pool has): every command
 * that reads a pool stops on it naming file, line and field, and with --skip-bad skips and counts
 * it; the advice names --skip-bad only where the command has it.
 */
class BadPoolRecordTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static Path labeled;
  static Path pool;
  static int badLine;

  @BeforeAll
  static void poolWithABadRecord() throws Exception {
    Path[] split = CliTest.hhSplit(dir, 200, 10);
    List<String> train = Files.readAllLines(split[0]);
    labeled = dir.resolve("labeled.jsonl");
    Files.write(labeled, train.subList(0, 80));
    List<String> lines = new ArrayList<>();
    for (String l : train.subList(80, 200)) {
      ObjectNode n = (ObjectNode) JSON.readTree(l);
      ObjectNode u = JSON.createObjectNode();
      u.set("prompt", n.get("prompt"));
      u.set("response_a", n.get("chosen"));
      u.set("response_b", n.get("rejected"));
      lines.add(JSON.writeValueAsString(u));
    }
    ObjectNode bad = (ObjectNode) JSON.readTree(lines.get(5));
    bad.put("response_a", "   \n ");
    lines.set(5, JSON.writeValueAsString(bad));
    badLine = 6;
    pool = dir.resolve("pool.jsonl");
    Files.write(pool, lines);
  }

  private static void failsNamingTheRecord(CliTest.Result r, boolean advice) {
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(
        r.err().contains("bad record: " + pool + ":" + badLine) && r.err().contains("response_a"),
        r.err());
    assertEquals(advice, r.err().contains("--skip-bad"), r.err());
  }

  @Test
  void evolveSkipsTheBadPoolRecordOnlyWhenAsked() {
    Path run = dir.resolve("run");
    List<String> args =
        List.of(
            "evolve",
            "--labeled",
            labeled.toString(),
            "--unlabeled",
            pool.toString(),
            "--encoder",
            "minilm-l6-q",
            "--max-loops",
            "1",
            "--quiet",
            "--cache",
            TestEncoders.CACHE.toString(),
            "--out",
            run.toString());
    failsNamingTheRecord(CliTest.run(args.toArray(String[]::new)), true);
    List<String> skipping = new ArrayList<>(args);
    skipping.add("--skip-bad");
    CliTest.Result r = CliTest.run(skipping.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("80 labeled, 119 unlabeled"), r.out());
    assertTrue(r.out().contains("skipped 1 bad record"), r.out());
  }

  @Test
  void askSkipsTheBadPoolRecordOnlyWhenAsked() throws Exception {
    Path model = dir.resolve("model");
    CliTest.Result train =
        CliTest.run(
            "train",
            "--train",
            labeled.toString(),
            "--encoder",
            "minilm-l6-q",
            "--quiet",
            "--cache",
            TestEncoders.CACHE.toString(),
            "--out",
            model.toString());
    assertEquals(0, train.code(), train.err());
    Path out = dir.resolve("ask.jsonl");
    List<String> args =
        List.of(
            "ask",
            "--model",
            model.toString(),
            "--unlabeled",
            pool.toString(),
            "--count",
            "200",
            "--cache",
            TestEncoders.CACHE.toString(),
            "--out",
            out.toString());
    failsNamingTheRecord(CliTest.run(args.toArray(String[]::new)), true);
    assertFalse(Files.exists(out));
    List<String> skipping = new ArrayList<>(args);
    skipping.add("--skip-bad");
    CliTest.Result r = CliTest.run(skipping.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("skipped 1 bad record"), r.out());
    List<String> asked = Files.readAllLines(out);
    assertEquals(119, asked.size(), "every good pool pair, the bad one left out");
    for (String l : asked) {
      assertFalse(JSON.readTree(l).get("response_a").asText().isBlank(), l);
    }
  }

  @Test
  void labelSkipsTheBadQueueRecordOnlyWhenAsked() {
    Path out = dir.resolve("labels.jsonl");
    List<String> args =
        List.of("label", "--queue", pool.toString(), "--out", out.toString(), "--stats");
    failsNamingTheRecord(CliTest.run(args.toArray(String[]::new)), true);
    List<String> skipping = new ArrayList<>(args);
    skipping.add("--skip-bad");
    CliTest.Result r = CliTest.run(skipping.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("skipped 1 bad record"), r.out());
  }

  @Test
  void aCommandWithoutTheOptionIsNotToldToPassIt() {
    // bench-label reads the queue before it starts anything, and has no --skip-bad.
    failsNamingTheRecord(
        CliTest.run("bench-label", "--queue", pool.toString(), "--seconds", "1"), false);
  }
}
