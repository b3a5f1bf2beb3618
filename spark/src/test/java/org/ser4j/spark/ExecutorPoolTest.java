package org.ser4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.data.ContentId;

/**
 * `ser-spark evolve` with the pool read, encoded, scored and picked from on the executors (local
 * mode), against `ser evolve` in one process on the same files: the same pairs selected in every
 * loop (by content id, in the same order), the same loops and the same final weights; the same from
 * a Parquet pool and from a directory of gzip part files; bad records named by file, line and
 * field; what is not built yet refused with a reason.
 */
class ExecutorPoolTest {
  @TempDir static Path dir;
  static OwnDataSplit data;
  static Path inProcess;
  static Path onExecutors;
  static SparkSession spark;
  static SparkEvolveTest.Result executorsRun;

  @BeforeAll
  static void runBoth() throws Exception {
    data = OwnDataSplit.writeTo(dir);
    spark = SparkSession.builder().master("local[2]").appName("ser4j test").getOrCreate();
    inProcess = dir.resolve("in-process");
    data.inProcess(inProcess);
    onExecutors = dir.resolve("executors");
    executorsRun = SparkEvolveTest.spark(data.evolve(data.pool().toString(), onExecutors));
    assertEquals(0, executorsRun.code(), executorsRun.err());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void theExecutorsPickWhatOneProcessPicks() throws Exception {
    assertTrue(
        executorsRun.err().contains("a pool of 242 pairs on the executors"), executorsRun.err());
    assertTrue(
        executorsRun.err().contains("1 the labeled or test data compare left out"),
        executorsRun.err());
    List<List<String>> a = OwnDataSplit.selectedIds(inProcess);
    List<List<String>> b = OwnDataSplit.selectedIds(onExecutors);
    assertTrue(a.size() >= 1 && !a.get(0).isEmpty(), "loop 1 selected: " + a);
    assertEquals(a, b, "the same pairs selected, loop by loop, in the same order");
    String labeledAgain =
        ContentId.hex(
            ContentId.of(
                data.pairs().get(240).prompt(),
                data.pairs().get(240).first(),
                data.pairs().get(240).second()));
    assertFalse(
        b.stream().anyMatch(l -> l.contains(labeledAgain)), "a labeled pair never selected");
    for (int k : OwnDataSplit.REPEATED) {
      org.ser4j.data.UnlabeledPair p = data.pairs().get(k);
      String id = ContentId.hex(ContentId.of(p.prompt(), p.first(), p.second()));
      assertEquals(
          2,
          b.stream().flatMap(List::stream).filter(id::equals).count(),
          "both copies of pool pair "
              + k
              + ", which the pool holds twice, selected, as in one process; it selected pool keys "
              + keysOf(selectedLines(inProcess)));
    }
    ObjectMapper json = new ObjectMapper();
    JsonNode ra = json.readTree(inProcess.resolve("report.json").toFile()).get("loops");
    JsonNode rb = json.readTree(onExecutors.resolve("report.json").toFile()).get("loops");
    assertEquals(ra.size(), rb.size());
    for (int i = 0; i < ra.size(); i++) {
      for (String f :
          List.of(
              "selected",
              "pool_remaining",
              "train_pairs",
              "validation_accuracy",
              "test_accuracy",
              "diagnostics")) {
        assertEquals(ra.get(i).get(f), rb.get(i).get(f), "loop " + i + " " + f);
      }
    }
    assertArrayEquals(
        Files.readAllBytes(inProcess.resolve("final/model.safetensors")),
        Files.readAllBytes(onExecutors.resolve("final/model.safetensors")),
        "the same final model");
    assertEquals(
        selectedLines(inProcess),
        selectedLines(onExecutors),
        "the same selected.jsonl, keys and all (both engines number the pool in read order)");
    assertTrue(
        Files.isDirectory(onExecutors.resolve("loop-1/selected.jsonl")),
        "the executors wrote loop 1's self-labels, as part files");
    List<List<String>> exported = new java.util.ArrayList<>();
    for (Path run : List.of(inProcess, onExecutors)) {
      Path out = dir.resolve(run.getFileName() + "-export.jsonl");
      java.io.StringWriter err = new java.io.StringWriter();
      int code =
          org.ser4j.cli.SerCli.run(
              new String[] {"export", "--run", run.toString(), "--out", out.toString()},
              new java.io.PrintWriter(new java.io.StringWriter()),
              new java.io.PrintWriter(err));
      assertEquals(0, code, err.toString());
      exported.add(Files.readAllLines(out));
    }
    assertTrue(exported.get(0).size() > a.get(0).size(), "the seed and the self-labels exported");
    assertEquals(exported.get(0), exported.get(1), "ser export reads the parts as the file");
  }

  /** {@code lines} with every s_first and s_second rounded to 12 places. */
  static List<String> roundedScores(List<String> lines) {
    java.util.regex.Pattern s =
        java.util.regex.Pattern.compile("(\"s_(?:first|second)\":)([-0-9.eE]+)");
    List<String> out = new java.util.ArrayList<>();
    for (String line : lines) {
      out.add(
          s.matcher(line)
              .replaceAll(
                  m ->
                      m.group(1)
                          + String.format(
                              java.util.Locale.ROOT, "%.12f", Double.parseDouble(m.group(2)))));
    }
    return out;
  }

  /** Each loop's selected.jsonl lines, prefixed by the loop. */
  static List<String> selectedLines(Path run) throws java.io.IOException {
    List<String> out = new java.util.ArrayList<>();
    for (int loop = 1; Files.exists(run.resolve("loop-" + loop)); loop++) {
      for (String line :
          org.ser4j.ser.RunStore.selectedLines(run.resolve("loop-" + loop + "/selected.jsonl"))) {
        out.add(loop + " " + line);
      }
    }
    return out;
  }

  /** The pool keys of {@code lines} (as {@link #selectedLines} gives them). */
  private static List<String> keysOf(List<String> lines) throws java.io.IOException {
    List<String> keys = new java.util.ArrayList<>();
    for (String line : lines) {
      keys.add(
          new ObjectMapper()
              .readTree(line.substring(line.indexOf(' ') + 1))
              .get("pool_key")
              .asText());
    }
    return keys;
  }

  /**
   * A rule with a quota (a precision target: the pairs that pass ranked on the executors, their
   * confidences counted on the driver, the picks made there) and length balance (each pick's
   * lengths read on the executors) pick as one process does.
   */
  @Test
  void aQuotaAndLengthBalancePickAsInOneProcess() throws Exception {
    bothPick(
        "quota",
        List.of("selected", "test_accuracy", "diagnostics"),
        false,
        "--target-precision",
        "0.9",
        "--balance-length",
        "--decision-folds",
        "0");
  }

  /**
   * The paper's thresholds on the pool's reward scale (--selection-scale pool): the mean and std of
   * every reward of the pairs left, summed on the executors, then each pair decided there, pick
   * what one process picks, with the same scale (its sums merge in another order there, so each
   * pick's s agrees to rounding).
   */
  @Test
  void thePoolsRewardScaleIsSummedWhereThePoolIs() throws Exception {
    bothPick(
        "scale",
        List.of("selected", "rule", "test_accuracy"),
        true,
        "--selection-scale",
        "pool",
        "--decision-folds",
        "0");
  }

  /**
   * One process and the executors run with {@code extra}: the same pairs selected in every loop,
   * the same selected.jsonl ({@code rounded}: with each s to 12 places), and the same report {@code
   * fields} loop by loop. Returns the executors' run's loops, as its report gives them.
   */
  private static JsonNode bothPick(
      String name, List<String> fields, boolean rounded, String... extra) throws Exception {
    return bothPick(data, name, fields, rounded, extra);
  }

  /** As above, on {@code data}. */
  private static JsonNode bothPick(
      OwnDataSplit data, String name, List<String> fields, boolean rounded, String... extra)
      throws Exception {
    Path here = dir.resolve(name + "-in-process");
    data.inProcess(here, extra);
    Path there = dir.resolve(name + "-executors");
    SparkEvolveTest.Result r =
        SparkEvolveTest.spark(data.evolve(data.pool().toString(), there, extra));
    assertEquals(0, r.code(), r.err());
    List<List<String>> a = OwnDataSplit.selectedIds(here);
    assertTrue(a.size() >= 1 && !a.get(0).isEmpty(), "loop 1 selected: " + a);
    assertEquals(a, OwnDataSplit.selectedIds(there));
    if (rounded) {
      assertEquals(roundedScores(selectedLines(here)), roundedScores(selectedLines(there)));
    } else {
      assertEquals(selectedLines(here), selectedLines(there));
    }
    ObjectMapper json = new ObjectMapper();
    JsonNode ra = json.readTree(here.resolve("report.json").toFile()).get("loops");
    JsonNode rb = json.readTree(there.resolve("report.json").toFile()).get("loops");
    assertEquals(ra.size(), rb.size());
    for (int i = 0; i < ra.size(); i++) {
      for (String f : fields) {
        assertEquals(ra.get(i).get(f), rb.get(i).get(f), "loop " + i + " " + f);
      }
    }
    return rb;
  }

  @Test
  void parquetAndGzipPartFilesGiveTheSamePicks() throws Exception {
    // Parquet has no mixed-type columns: every prompt as {role, content} messages (the same
    // prompt).
    Path messages = dir.resolve("pool-messages.jsonl");
    ObjectMapper json = new ObjectMapper();
    List<String> rows = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(data.pool())) {
      com.fasterxml.jackson.databind.node.ObjectNode n =
          (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(line);
      if (n.get("prompt").isTextual()) {
        String text = n.get("prompt").asText();
        n.putArray("prompt").addObject().put("role", "user").put("content", text);
      }
      rows.add(json.writeValueAsString(n));
    }
    Files.write(messages, rows);
    Path parquet = dir.resolve("pool.parquet");
    spark.read().json(messages.toString()).coalesce(1).write().parquet(parquet.toString());
    Path parts = Files.createDirectories(dir.resolve("pool-parts"));
    List<String> lines = Files.readAllLines(data.pool());
    for (int p = 0; p < 2; p++) {
      List<String> part = p == 0 ? lines.subList(0, 100) : lines.subList(100, lines.size());
      try (OutputStream out =
          new GZIPOutputStream(
              Files.newOutputStream(parts.resolve("part-0000" + p + ".jsonl.gz")))) {
        out.write((String.join("\n", part) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    Files.writeString(parts.resolve("_SUCCESS"), "");
    List<List<String>> expected = OwnDataSplit.selectedIds(onExecutors);
    for (Path pool : List.of(parquet, parts)) {
      Path out = dir.resolve("run-" + pool.getFileName().toString().replace('.', '-'));
      SparkEvolveTest.Result r = SparkEvolveTest.spark(data.evolve(pool.toString(), out));
      assertEquals(0, r.code(), r.err());
      assertEquals(expected, OwnDataSplit.selectedIds(out), pool.toString());
    }
  }

  /**
   * With no self-label fit on the driver (--driver-fit-max 0), every fit with self-labels runs
   * where the pool is, full-batch, and the run learns about as well as one process does. (One fit a
   * loop, --decision-folds 0: a fit there is a few hundred small Spark jobs.)
   */
  @Test
  void aFitBeyondTheBoundRunsOnTheExecutors() throws Exception {
    Path out = dir.resolve("fit-on-executors");
    SparkEvolveTest.Result r =
        SparkEvolveTest.spark(
            data.evolve(
                data.pool().toString(), out, "--driver-fit-max", "0", "--decision-folds", "0"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("self-labels) where the pool is, full-batch"), r.err());
    ObjectMapper json = new ObjectMapper();
    JsonNode here = json.readTree(inProcess.resolve("report.json").toFile()).get("loops");
    JsonNode there = json.readTree(out.resolve("report.json").toFile()).get("loops");
    assertTrue(there.size() >= 2 && there.get(1).get("selected").asInt() > 0, "loop 1: " + there);
    double a = here.get(1).get("test_accuracy").asDouble();
    double b = there.get(1).get("test_accuracy").asDouble();
    assertTrue(Math.abs(a - b) <= 0.1, "loop 1 test accuracy " + b + " vs one process's " + a);
  }

  @Test
  void aBadPoolRecordNamesFileLineAndField() throws Exception {
    Path bad = dir.resolve("bad-pool.jsonl");
    List<String> lines = Files.readAllLines(data.pool()).subList(0, 40);
    lines.set(2, "{\"prompt\": \"Hi\", \"response_a\": \"Hello\", \"response_b\": 7}");
    Files.write(bad, lines);
    SparkEvolveTest.Result r =
        SparkEvolveTest.spark(data.evolve(bad.toString(), dir.resolve("bad")));
    assertEquals(1, r.code(), r.out());
    assertTrue(r.err().contains("bad-pool.jsonl:3"), r.err());
    assertTrue(r.err().contains("field 'response_b'"), r.err());
    SparkEvolveTest.Result skipped =
        SparkEvolveTest.spark(data.evolve(bad.toString(), dir.resolve("skipped"), "--skip-bad"));
    assertEquals(0, skipped.code(), skipped.err());
    assertTrue(skipped.err().contains("40 records (1 bad, skipped"), skipped.err());
    assertTrue(skipped.err().contains("a pool of 39 pairs on the executors"), skipped.err());
  }

  /**
   * --debias with the pool on the executors: the styles of the picks' answers are measured there
   * (only the numbers come to the driver) and the fits, on the driver, learn the same style head as
   * in one process: the same picks, loops and style fit.
   */
  @Test
  void debiasedFitsPickAsInOneProcess() throws Exception {
    JsonNode loops =
        bothPick(
            "debias",
            List.of("selected", "train_pairs", "validation_accuracy", "test_accuracy", "debias"),
            false,
            "--debias",
            "length,markdown");
    JsonNode loop1 = loops.get(1);
    assertTrue(
        loop1.get("selected").asInt() > 0 && loop1.hasNonNull("debias"),
        "loop 1 selected and fit a style head: " + loop1);
    // The fit where the pool is has no style head: a fit beyond the bound says how to go on.
    SparkEvolveTest.Result beyond =
        SparkEvolveTest.spark(
            data.evolve(
                data.pool().toString(),
                dir.resolve("debias-beyond"),
                "--debias",
                "length",
                "--driver-fit-max",
                "0",
                "--decision-folds",
                "0"));
    assertEquals(1, beyond.code(), beyond.out());
    assertTrue(beyond.err().contains("--debias"), beyond.err());
    assertTrue(beyond.err().contains("--driver-fit-max"), beyond.err());
  }

  /**
   * Co-training across two encoders with the pool on the executors: each answer's vector there is
   * both encoders' side by side, as in one process, and the views' fits run on the driver: the same
   * picks, loops and views' figures.
   */
  @Test
  void coTrainedViewsPickAsInOneProcess() throws Exception {
    JsonNode loops =
        bothPick(
            "views",
            List.of("selected", "train_pairs", "validation_accuracy", "test_accuracy", "views"),
            false,
            "--views",
            "bge-small-q,minilm-l6-q",
            "--max-length",
            "128");
    JsonNode loop1 = loops.get(1);
    assertTrue(
        loop1.get("selected").asInt() > 0 && loop1.path("views").path("views").size() == 2,
        "loop 1 selected and co-trained two views: " + loop1);
  }

  /**
   * West-of-N where the pool is (30 AlpacaEval prompts of six answer pairs each): each open
   * prompt's best answer against its worst is built on the executors, and the run selects the same
   * pairs, built ones included and in the same order, writes the same selected.jsonl (the built
   * lines as parts of their own, written where their two pairs are), and reports the same loops and
   * diagnostics as one process. A run that crashed after loop 1 then resumes from its built labels'
   * two content ids and ends as the uninterrupted run.
   */
  @Test
  void westOfNBuildsAndPicksAsInOneProcess() throws Exception {
    OwnDataSplit alpaca = OwnDataSplit.manyAnswers(dir.resolve("alpaca"));
    JsonNode loops =
        bothPick(
            alpaca,
            "won",
            List.of(
                "selected", "train_pairs", "validation_accuracy", "test_accuracy", "diagnostics"),
            false,
            "--west-of-n",
            "--encoder-input",
            "response",
            "--keep",
            "last"); // every loop run: a second loop to resume into
    JsonNode loop1 = loops.get(1);
    assertTrue(
        loop1.path("diagnostics").path("built_pairs").asInt() > 0,
        "loop 1 selected built pairs: " + loop1);
    Path there = dir.resolve("won-executors");
    Path crashed = dir.resolve("won-crashed");
    crashAfterLoop1(there, crashed);
    SparkEvolveTest.Result r =
        SparkEvolveTest.spark("evolve", "--resume", crashed.toString(), "--quiet");
    assertEquals(0, r.code(), r.err());
    assertEquals(selectedLines(there), selectedLines(crashed));
    assertArrayEquals(
        Files.readAllBytes(there.resolve("final/model.safetensors")),
        Files.readAllBytes(crashed.resolve("final/model.safetensors")));
  }

  /**
   * West-of-N with a quota (built and plain candidates ranked together on the executors) and length
   * balance (a built pick's lengths read across its two pairs) picks as one process does.
   */
  @Test
  void westOfNWithAQuotaAndLengthBalancePicksAsInOneProcess() throws Exception {
    OwnDataSplit alpaca = OwnDataSplit.manyAnswers(dir.resolve("alpaca-quota"));
    JsonNode loops =
        bothPick(
            alpaca,
            "won-quota",
            List.of("selected", "test_accuracy", "diagnostics"),
            false,
            "--west-of-n",
            "--encoder-input",
            "response",
            "--target-precision",
            "0.8",
            "--balance-length",
            "--decision-folds",
            "0");
    assertTrue(
        loops.get(1).path("diagnostics").path("built_pairs").asInt() > 0,
        "loop 1 selected built pairs: " + loops.get(1));
  }

  /**
   * With West-of-N and every fit with self-labels where the pool is (--driver-fit-max 0), the built
   * pairs' two answers are found in one part of the pool (placed by prompt), and the run learns
   * about as well as one process does.
   */
  @Test
  void westOfNFitsWhereThePoolIs() throws Exception {
    OwnDataSplit alpaca = OwnDataSplit.manyAnswers(dir.resolve("alpaca-fit"));
    Path here = dir.resolve("won-fit-in-process");
    String[] extra = {"--west-of-n", "--encoder-input", "response", "--decision-folds", "0"};
    alpaca.inProcess(here, extra);
    Path there = dir.resolve("won-fit-executors");
    List<String> args = new java.util.ArrayList<>(List.of(extra));
    args.addAll(List.of("--driver-fit-max", "0"));
    SparkEvolveTest.Result r =
        SparkEvolveTest.spark(
            alpaca.evolve(alpaca.pool().toString(), there, args.toArray(String[]::new)));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("self-labels) where the pool is, full-batch"), r.err());
    ObjectMapper json = new ObjectMapper();
    JsonNode a = json.readTree(here.resolve("report.json").toFile()).get("loops");
    JsonNode b = json.readTree(there.resolve("report.json").toFile()).get("loops");
    assertTrue(
        b.get(1).path("diagnostics").path("built_pairs").asInt() > 0, "built pairs: " + b.get(1));
    double x = a.get(1).get("test_accuracy").asDouble();
    double y = b.get(1).get("test_accuracy").asDouble();
    assertTrue(Math.abs(x - y) <= 0.1, "loop 1 test accuracy " + y + " vs one process's " + x);
  }

  /**
   * Labels people add to a finished run (ten pool pairs, five of them chosen against their order)
   * are matched to the pool on the executors by content id: the new phase leaves those pairs out,
   * drops and counts the self-labels they contradict, and selects and fits as in one process.
   */
  @Test
  void addedLabelsJoinThePoolByIdAsInOneProcess() throws Exception {
    List<org.ser4j.data.PreferencePair> people = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      org.ser4j.data.UnlabeledPair p = data.pairs().get(i * 7);
      boolean first = i % 2 == 0;
      people.add(
          new org.ser4j.data.PreferencePair(
              "added-" + i,
              p.prompt(),
              first ? p.first() : p.second(),
              first ? p.second() : p.first(),
              new org.ser4j.data.SourceRef("added", i + 1)));
    }
    Path added = dir.resolve("added.jsonl");
    org.ser4j.data.format.PairWriter.write(added, people);
    Path local = dir.resolve("added-local");
    Path remote = dir.resolve("added-executors");
    copy(inProcess, local);
    copy(onExecutors, remote);
    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        org.ser4j.cli.SerCli.run(
            new String[] {
              "evolve", "--resume", local.toString(), "--add-labels", added.toString(), "--quiet"
            },
            new java.io.PrintWriter(new java.io.StringWriter()),
            new java.io.PrintWriter(err));
    assertEquals(0, code, err.toString());
    SparkEvolveTest.Result r =
        SparkEvolveTest.spark(
            "evolve", "--resume", remote.toString(), "--add-labels", added.toString(), "--quiet");
    assertEquals(0, r.code(), r.err());
    ObjectMapper json = new ObjectMapper();
    JsonNode a = json.readTree(local.resolve("report.json").toFile()).get("loops");
    JsonNode b = json.readTree(remote.resolve("report.json").toFile()).get("loops");
    assertTrue(a.size() > 3, "a new phase ran: " + a);
    assertEquals(10, a.get(3).get("labels_added").asInt(), a.get(3).toString());
    for (int i = 0; i < a.size(); i++) {
      for (String f :
          List.of(
              "status",
              "selected",
              "pool_remaining",
              "train_pairs",
              "test_accuracy",
              "labels_added",
              "contradicted")) {
        assertEquals(a.get(i).get(f), b.get(i).get(f), "loop " + i + " " + f);
      }
    }
    assertEquals(OwnDataSplit.selectedIds(local), OwnDataSplit.selectedIds(remote));
    assertArrayEquals(
        Files.readAllBytes(local.resolve("final/model.safetensors")),
        Files.readAllBytes(remote.resolve("final/model.safetensors")));
  }

  private static void copy(Path from, Path to) throws java.io.IOException {
    try (var files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  /**
   * {@code crashed}: a copy of finished run {@code run} as it stood when it crashed after loop 1
   * (no loop 2, no final model; its report held loops 0 and 1).
   */
  private static void crashAfterLoop1(Path run, Path crashed) throws java.io.IOException {
    ObjectMapper json = new ObjectMapper();
    com.fasterxml.jackson.databind.node.ObjectNode report =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            json.readTree(run.resolve("report.json").toFile());
    assertTrue(report.get("loops").size() == 3, "the run has loops 0 to 2: " + report);
    copy(run, crashed);
    org.apache.commons.io.FileUtils.deleteDirectory(crashed.resolve("loop-2").toFile());
    org.apache.commons.io.FileUtils.deleteDirectory(crashed.resolve("final").toFile());
    ((com.fasterxml.jackson.databind.node.ArrayNode) report.get("loops")).remove(2);
    report.put("finished", false);
    report.remove("stop_reason");
    json.writeValue(crashed.resolve("report.json").toFile(), report);
  }

  /**
   * A run that crashed after loop 1 (its report then held loops 0 and 1) resumes: its saved
   * self-labels are found on the executors by content id, and it ends as the uninterrupted run.
   */
  @Test
  void aCrashedRunResumesAsIfUninterrupted() throws Exception {
    Path crashed = dir.resolve("crashed");
    crashAfterLoop1(onExecutors, crashed);
    SparkEvolveTest.Result r =
        SparkEvolveTest.spark("evolve", "--resume", crashed.toString(), "--quiet");
    assertEquals(0, r.code(), r.err());
    assertEquals(OwnDataSplit.selectedIds(onExecutors), OwnDataSplit.selectedIds(crashed));
    assertArrayEquals(
        Files.readAllBytes(onExecutors.resolve("final/model.safetensors")),
        Files.readAllBytes(crashed.resolve("final/model.safetensors")));
  }
}
