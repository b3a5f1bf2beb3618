package org.ser4j.ser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.cli.SerCli;
import org.ser4j.model.head.HeadModel;
import org.ser4j.testing.SharedData;
import org.ser4j.testing.TestEncoders;

/** `ser evolve` on the real HH-RLHF pairs: loops, self-label precision, resume. */
class EvolveTest {
  @TempDir Path dir;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static int run(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code = SerCli.run(args, new java.io.PrintWriter(out), new java.io.PrintWriter(err));
    if (code != 0) {
      throw new AssertionError("exit " + code + ": " + err + out);
    }
    return code;
  }

  private static String[] evolve(Path out, String... extra) {
    String[] base = {
      "evolve",
      "--train",
      SharedData.require(SharedData.HH_RLHF).toString(),
      "--test-fraction",
      "0.2",
      "--seed",
      "7",
      "--skip-bad",
      "--quiet",
      "--cache",
      TestEncoders.CACHE.toString(),
      "--out",
      out.toString()
    };
    String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  /** The loops of a report without their timings, which differ run to run. */
  private static JsonNode loopsWithoutTime(Path run) throws IOException {
    ArrayNode loops = (ArrayNode) JSON.readTree(run.resolve("report.json").toFile()).get("loops");
    loops.forEach(l -> ((ObjectNode) l).remove("seconds"));
    return loops;
  }

  /**
   * Simulates a crash of run {@code whole} right after loop 1 (its files on disk, the report
   * listing loops 0 and 1) in a copy at {@code resumed}, and resumes it there.
   */
  private static Path resumedAfterLoop1(Path whole, Path resumed) throws IOException {
    Files.createDirectories(resumed);
    Files.copy(whole.resolve("run.json"), resumed.resolve("run.json"));
    for (int t = 0; t <= 1; t++) {
      copyTree(whole.resolve("loop-" + t), resumed.resolve("loop-" + t));
    }
    ObjectNode partial = (ObjectNode) JSON.readTree(whole.resolve("report.json").toFile());
    ArrayNode loops = (ArrayNode) partial.get("loops");
    partial.set("loops", JSON.createArrayNode().add(loops.get(0)).add(loops.get(1)));
    partial.put("finished", false);
    partial.remove("stop_reason");
    Files.writeString(resumed.resolve("report.json"), JSON.writeValueAsString(partial));
    run(
        "evolve",
        "--resume",
        resumed.toString(),
        "--quiet",
        "--cache",
        TestEncoders.CACHE.toString());
    return resumed;
  }

  @Test
  void loopsSelectMostlyRightLabelsAndAResumedRunEndsTheSame() throws Exception {
    Path whole = dir.resolve("whole");
    run(evolve(whole, "--max-loops", "3"));
    JsonNode report = JSON.readTree(whole.resolve("report.json").toFile());
    JsonNode loops = report.get("loops");
    assertTrue(loops.size() >= 2, "at least Loop 0 and one SER loop: " + loops);
    assertTrue(report.get("finished").asBoolean());
    for (String field :
        new String[] {
          "loop",
          "status",
          "selected",
          "self_label_precision",
          "validation_accuracy",
          "test_accuracy",
          "seconds"
        }) {
      assertTrue(loops.get(1).has(field), "loop objects have " + field);
    }
    for (int t = 1; t < loops.size(); t++) {
      JsonNode l = loops.get(t);
      assertTrue(l.get("selected").asInt() >= 10, l.toString());
      assertTrue(
          l.get("self_label_precision").asDouble() > 0.5,
          "self-labels beat a coin against the hidden gold labels: " + l);
      assertTrue(
          Files.readAllLines(whole.resolve("loop-" + t).resolve("selected.jsonl")).size()
              == l.get("selected").asInt());
    }

    Path resumed = resumedAfterLoop1(whole, dir.resolve("resumed"));
    assertEquals(loopsWithoutTime(whole), loopsWithoutTime(resumed), "resume gives the same loops");
    int last = loops.size() - 1;
    HeadModel a = HeadModel.load(whole.resolve("loop-" + last).resolve("model"));
    HeadModel b = HeadModel.load(resumed.resolve("loop-" + last).resolve("model"));
    assertArrayEquals(a.head().parameters(), b.head().parameters(), "and the same final weights");
  }

  @Test
  void keepLastRunsEveryLoopAndKeepsTheLastRm() throws Exception {
    Path out = dir.resolve("last");
    run(evolve(out, "--keep", "last", "--max-loops", "3", "--min-new", "1"));
    JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
    int loops = report.get("loops").size();
    assertEquals(loops - 1, report.get("final_loop").asInt());
    assertTrue(!report.get("stop_reason").asText().equals("validation-fell"), report.toString());
    exportsTheSeedAndTheSelfLabels(out, report);
  }

  /** `ser export` of that run in both trainer formats, against the run's own files. */
  private void exportsTheSeedAndTheSelfLabels(Path run, JsonNode report) throws Exception {
    int finalLoop = report.get("final_loop").asInt();
    assertTrue(finalLoop >= 1, "the run kept a SER loop: " + report);
    java.util.Set<String> selfChosen = new java.util.HashSet<>();
    for (int l = 1; l <= finalLoop; l++) {
      for (String line : Files.readAllLines(run.resolve("loop-" + l).resolve("selected.jsonl"))) {
        JsonNode n = JSON.readTree(line);
        selfChosen.add(n.get("chosen").asText() + "\u0000" + n.get("rejected").asText());
      }
    }
    // The seed as `ser data split` draws it with the run's settings: the human part of the export.
    Path split = dir.resolve("split");
    run(
        "data",
        "split",
        "--train",
        SharedData.require(SharedData.HH_RLHF).toString(),
        "--test-fraction",
        "0.2",
        "--seed",
        "7",
        "--skip-bad",
        "--out",
        split.toString());
    java.util.Set<String> seedIds = new java.util.HashSet<>();
    for (String line : Files.readAllLines(split.resolve("labeled.jsonl"))) {
      seedIds.add(JSON.readTree(line).get("id").asText());
    }
    Path trl = dir.resolve("export-trl.jsonl");
    run("export", "--run", run.toString(), "--format", "trl", "--out", trl.toString());
    int human = 0;
    int self = 0;
    int conversational = 0;
    for (String line : Files.readAllLines(trl)) {
      JsonNode n = JSON.readTree(line);
      JsonNode origin = n.get("ser4j");
      assertTrue(n.has("prompt") && n.has("chosen") && n.has("rejected"), line);
      String chosen;
      String rejected;
      if (n.get("prompt").isArray()) { // TRL's conversational form
        conversational++;
        for (JsonNode m : n.get("prompt")) {
          assertTrue(m.has("role") && m.has("content"), line);
        }
        assertEquals("assistant", n.get("chosen").get(0).get("role").asText());
        chosen = n.get("chosen").get(0).get("content").asText();
        rejected = n.get("rejected").get(0).get("content").asText();
      } else {
        chosen = n.get("chosen").asText();
        rejected = n.get("rejected").asText();
      }
      if (origin.get("source").asText().equals("human")) {
        human++;
        assertTrue(seedIds.contains(origin.get("id").asText()), "a seed pair: " + line);
      } else {
        assertEquals("self-labeled", origin.get("source").asText());
        self++;
        assertTrue(selfChosen.contains(chosen + "\u0000" + rejected), "as the run selected it");
        int loop = origin.get("loop").asInt();
        assertTrue(loop >= 1 && loop <= finalLoop);
        assertTrue(origin.get("confidence").asDouble() >= 0.5, line);
      }
    }
    assertEquals(selfChosen.size(), self);
    assertTrue(
        human > 0 && conversational > 0, human + " human, " + conversational + " multi-turn");
    assertEquals(seedIds.size(), human, "the whole seed, validation slice included");

    Path open = dir.resolve("export-openrlhf.jsonl");
    run("export", "--run", run.toString(), "--format", "openrlhf", "--out", open.toString());
    List<String> lines = Files.readAllLines(open);
    assertEquals(human + self, lines.size());
    for (String line : lines) {
      JsonNode n = JSON.readTree(line);
      JsonNode c = n.get("chosen");
      JsonNode r = n.get("rejected");
      assertEquals("assistant", c.get(c.size() - 1).get("role").asText());
      assertEquals(c.size(), r.size());
      for (int k = 0; k < c.size() - 1; k++) {
        assertEquals(c.get(k), r.get(k), "the same conversation up to the answer");
      }
      assertTrue(!n.has("prompt"), "OpenRLHF reads whole conversations, no prompt key");
    }
  }

  @Test
  void pairConfidenceIsCalibratedBalancedAndDeterministicPerSeed() throws Exception {
    String[] rule = {
      "--selection",
      "pair-confidence",
      "--min-pair-confidence",
      "0.7",
      "--target-precision",
      "0.8",
      "--calibration-folds",
      "3",
      "--balance-length",
      "--max-loops",
      "2",
      "--keep",
      "last",
      "--min-new",
      "1"
    };
    Path a = dir.resolve("pc-a");
    Path b = dir.resolve("pc-b");
    run(evolve(a, rule));
    run(evolve(b, rule));
    assertEquals(loopsWithoutTime(a), loopsWithoutTime(b), "folds and choices fixed by the seed");
    JsonNode loops = JSON.readTree(a.resolve("report.json").toFile()).get("loops");
    assertTrue(loops.size() >= 2, loops.toString());
    for (int t = 1; t < loops.size(); t++) {
      JsonNode l = loops.get(t);
      assertEquals("pair-confidence", l.get("rule").asText());
      JsonNode d = l.get("diagnostics");
      assertTrue(d.get("temperature").asDouble() > 0, d.toString());
      int n = l.get("selected").asInt();
      assertEquals(
          d.get("seed_chosen_longer").asDouble(),
          d.get("selected_chosen_longer").asDouble(),
          1.0 / n + 1e-9,
          "length mix kept at the seed's: " + d);
      double sum = 0;
      for (String line : Files.readAllLines(a.resolve("loop-" + t).resolve("selected.jsonl"))) {
        JsonNode sel = JSON.readTree(line);
        double s1 = sel.get("s_first").asDouble();
        double s2 = sel.get("s_second").asDouble();
        double c =
            org.ser4j.model.Loss.sigmoid(
                Math.abs(Math.log(s1 / (1 - s1)) - Math.log(s2 / (1 - s2))));
        assertTrue(c >= 0.7 - 1e-9, "each kept pair at least --min-confidence: " + c);
        sum += c;
      }
      // The target was met before balancing, which dropped some of the least confident pairs.
      assertTrue(sum / n >= 0.8 - 1e-9, "expected precision at the target: " + sum / n);
    }
  }

  @Test
  void crossValidatedDecisionsUseTheWholeSeedAreDeterministicAndResume() throws Exception {
    String[] cv = {
      "--decision-folds",
      "4",
      "--selection",
      "pair-confidence",
      "--max-loops",
      "2",
      "--min-new",
      "1"
    };
    Path a = dir.resolve("cv-a");
    Path b = dir.resolve("cv-b");
    Path slice = dir.resolve("cv-slice");
    run(evolve(a, cv));
    run(evolve(b, cv));
    run(evolve(slice, "--max-loops", "0", "--decision-folds", "0"));
    assertEquals(loopsWithoutTime(a), loopsWithoutTime(b), "folds and choices fixed by the seed");

    JsonNode report = JSON.readTree(a.resolve("report.json").toFile());
    JsonNode loops = report.get("loops");
    int whole = loops.get(0).get("train_pairs").asInt();
    int sliceTrain =
        JSON.readTree(slice.resolve("report.json").toFile())
            .get("loops")
            .get(0)
            .get("train_pairs")
            .asInt();
    assertEquals(
        whole - Math.round(0.1 * whole), sliceTrain, "loop 0 trains on the whole seed, no slice");
    int kept = report.get("final_loop").asInt();
    for (int t = 0; t < loops.size(); t++) {
      double acc = loops.get(t).get("validation_accuracy").asDouble();
      double keptAcc = loops.get(kept).get("validation_accuracy").asDouble();
      assertTrue(acc > 0.5 && acc < 1, "out-of-fold accuracy over the seed: " + acc);
      assertTrue(
          t < kept ? acc < keptAcc : acc <= keptAcc,
          "the kept loop beats every earlier loop out of fold, ties to the earlier: " + loops);
    }

    if (loops.size() >= 2) { // the fold runs are replayed on resume
      Path resumed = resumedAfterLoop1(a, dir.resolve("cv-resumed"));
      assertEquals(loopsWithoutTime(a), loopsWithoutTime(resumed), "resume gives the same loops");
    }
  }

  @Test
  void reviewersKeepOnlyPairsTheyAllAgreeOn() throws Exception {
    Path plain = dir.resolve("plain");
    Path reviewed = dir.resolve("reviewed");
    // Every pool pair is selected (confidence >= 0.5 always holds), so borderline ones are there
    // for the reviewers to disagree on; the confident pairs of the default rule they all accept.
    String[] loose = {
      "--max-loops",
      "1",
      "--keep",
      "last",
      "--min-new",
      "1",
      "--selection",
      "pair-confidence",
      "--min-pair-confidence",
      "0.5",
      "--calibration-folds",
      "0"
    };
    run(evolve(plain, loose));
    String[] withReviewers = java.util.Arrays.copyOf(loose, loose.length + 2);
    withReviewers[loose.length] = "--reviewers";
    withReviewers[loose.length + 1] = "3";
    run(evolve(reviewed, withReviewers));
    java.util.Set<String> before = new java.util.HashSet<>();
    for (String line : Files.readAllLines(plain.resolve("loop-1").resolve("selected.jsonl"))) {
      JsonNode n = JSON.readTree(line);
      before.add(n.get("pool_key").asInt() + "/" + n.get("first_preferred").asBoolean());
    }
    List<String> after = Files.readAllLines(reviewed.resolve("loop-1").resolve("selected.jsonl"));
    assertTrue(after.size() < before.size(), after.size() + " of " + before.size() + " kept");
    assertTrue(after.size() > 0, "the reviewers agree on some pairs");
    for (String line : after) {
      JsonNode n = JSON.readTree(line);
      assertTrue(
          before.contains(n.get("pool_key").asInt() + "/" + n.get("first_preferred").asBoolean()),
          "a subset of the same loop's selection, with the same labels: " + line);
    }
    assertEquals(
        after.size(),
        JSON.readTree(reviewed.resolve("report.json").toFile())
            .get("loops")
            .get(1)
            .get("selected")
            .asInt());
  }

  @Test
  void aStrictThresholdStopsForLackOfNewPairs() throws Exception {
    Path out = dir.resolve("strict");
    run(evolve(out, "--tau-high", "0.999", "--tau-low", "0.001", "--delta", "0.99"));
    JsonNode report = JSON.readTree(out.resolve("report.json").toFile());
    assertEquals(1, report.get("loops").size(), "only Loop 0");
    assertTrue(report.get("stop_reason").asText().startsWith("few-new"), report.toString());
  }

  @Test
  void poolScaleSelectsByTheRmsOwnSpreadAndIsRecorded() throws Exception {
    Path out = dir.resolve("pool");
    run(
        evolve(
            out,
            "--selection-scale",
            "pool",
            "--selection",
            "difference",
            "--max-loops",
            "1",
            "--min-new",
            "1"));
    JsonNode run = JSON.readTree(out.resolve("run.json").toFile());
    assertEquals("POOL", run.get("ser").get("scale").asText(), run.toString());
    JsonNode loops = JSON.readTree(out.resolve("report.json").toFile()).get("loops");
    assertEquals(2, loops.size(), loops.toString());
    JsonNode l = loops.get(1);
    // |s1 - s2| > 0.3 on the standardized scale: a rewards gap above ~1.2 pool std, a minority of
    // the pool.
    assertTrue(
        l.get("selected").asInt() > 0
            && l.get("selected").asInt() < l.get("pool_remaining").asInt(),
        l.toString());
    assertTrue(
        l.get("self_label_precision").asDouble() > 0.5,
        "the most confident pairs beat a coin: " + l);
  }

  /**
   * A slice of the AlpacaEval pairs where prompts have many answers: the first {@code prompts}
   * prompts of the file with {@code perPrompt} pairs each (every pair one system against the
   * reference answer).
   */
  private Path alpacaSlice(int prompts, int perPrompt) throws IOException {
    java.util.Map<String, List<JsonNode>> byPrompt = new java.util.LinkedHashMap<>();
    try (var in =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(
                    Files.newInputStream(SharedData.require(SharedData.ALPACAEVAL))),
                java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode n = JSON.readTree(line);
        byPrompt.computeIfAbsent(n.get("prompt").asText(), k -> new java.util.ArrayList<>()).add(n);
      }
    }
    Path file = dir.resolve("alpaca-slice.jsonl");
    StringBuilder out = new StringBuilder();
    byPrompt.values().stream()
        .filter(l -> l.size() >= perPrompt)
        .limit(prompts)
        .forEach(l -> l.subList(0, perPrompt).forEach(n -> out.append(n).append('\n')));
    Files.writeString(file, out);
    return file;
  }

  @Test
  void westOfNBuildsBestVersusWorstPairsThatResumeAndExport() throws Exception {
    Path train = alpacaSlice(30, 8);
    // Which answers the file compares, and which one the judge preferred.
    java.util.Set<String> compared = new java.util.HashSet<>();
    java.util.Set<String> beats = new java.util.HashSet<>();
    for (String line : Files.readAllLines(train)) {
      JsonNode n = JSON.readTree(line);
      String c = n.get("chosen").asText();
      String r = n.get("rejected").asText();
      compared.add(c + "\u0000" + r);
      compared.add(r + "\u0000" + c);
      beats.add(c + "\u0000" + r);
    }
    String[] args = {
      "evolve",
      "--train",
      train.toString(),
      "--test-fraction",
      "0.2",
      "--seed",
      "7",
      "--encoder",
      "minilm-l6-q",
      "--encoder-input",
      "response",
      "--max-length",
      "128",
      "--selection",
      "pair-confidence",
      "--min-pair-confidence",
      "0.6",
      "--decision-folds",
      "3",
      "--west-of-n",
      "--max-loops",
      "2",
      "--min-new",
      "1",
      "--keep",
      "last",
      "--quiet",
      "--cache",
      TestEncoders.CACHE.toString(),
      "--out",
      ""
    };
    Path whole = dir.resolve("won");
    args[args.length - 1] = whole.toString();
    run(args);
    JsonNode loops = JSON.readTree(whole.resolve("report.json").toFile()).get("loops");
    assertTrue(loops.size() >= 2, loops.toString());
    JsonNode d = loops.get(1).get("diagnostics");
    int builtPairs = d.get("built_pairs").asInt();
    assertTrue(builtPairs > 0, "loop 1 kept built pairs: " + d);

    int built = 0;
    int decided = 0;
    int right = 0;
    for (String line : Files.readAllLines(whole.resolve("loop-1").resolve("selected.jsonl"))) {
      JsonNode n = JSON.readTree(line);
      if (!n.has("second_pool_key")) {
        continue;
      }
      built++;
      String c = n.get("chosen").asText();
      String r = n.get("rejected").asText();
      assertTrue(!compared.contains(c + "\u0000" + r), "no pool pair compares the two: " + line);
      // The file decides a built pair where both answers met the same third answer (the
      // reference) and the judge put one above it and the other below.
      boolean right1 = false;
      boolean wrong1 = false;
      for (String line2 : Files.readAllLines(train)) {
        JsonNode m = JSON.readTree(line2);
        String z = m.get("chosen").asText().equals(c) ? m.get("rejected").asText() : null;
        if (z != null) {
          right1 |= beats.contains(z + "\u0000" + r);
        }
        String z2 = m.get("rejected").asText().equals(c) ? m.get("chosen").asText() : null;
        if (z2 != null) {
          wrong1 |= beats.contains(r + "\u0000" + z2);
        }
      }
      decided += right1 || wrong1 ? 1 : 0;
      right += right1 ? 1 : 0;
    }
    assertEquals(builtPairs, built, "the report counts the built pairs of selected.jsonl");
    assertEquals(decided, d.get("built_decided").asInt(), d.toString());
    if (decided > 0) {
      assertEquals((double) right / decided, d.get("built_precision").asDouble(), 1e-12);
    }

    // A crash after loop 1 resumes to the same loops: built pairs are read back from disk.
    if (loops.size() >= 3) {
      Path resumed = resumedAfterLoop1(whole, dir.resolve("won-resumed"));
      assertEquals(
          loopsWithoutTime(whole), loopsWithoutTime(resumed), "resume gives the same loops");
    }
    // The export carries built pairs as the run selected them, named by both source pairs.
    Path exported = dir.resolve("won-export.jsonl");
    run("export", "--run", whole.toString(), "--format", "trl", "--out", exported.toString());
    long builtExported =
        Files.readAllLines(exported).stream()
            .map(
                l -> {
                  try {
                    return JSON.readTree(l);
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                })
            .filter(n -> n.get("ser4j").get("id").asText().contains("+"))
            .count();
    assertTrue(builtExported >= builtPairs, builtExported + " built pairs exported");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
