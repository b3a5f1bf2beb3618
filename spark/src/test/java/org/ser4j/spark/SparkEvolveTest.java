package org.ser4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.data.split.DataSpec;
import org.ser4j.data.split.SerDataset;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.encoder.Featurizer;
import org.ser4j.model.head.HeadFeatures;
import org.ser4j.model.head.SerInputs;
import org.ser4j.util.Progress;

/**
 * `ser-spark evolve` in local mode against `ser evolve` in one process, on real HH-RLHF pairs: the
 * executors' vectors equal the in-process ones bit for bit, so the same seed gives the same loops,
 * the same selected pairs and the same weights.
 */
class SparkEvolveTest {
  @TempDir static Path dir;
  static HhSplit split;
  static Path train;
  static Path test;
  static SparkSession spark;

  @BeforeAll
  static void data() throws Exception {
    split = HhSplit.writeTo(dir);
    train = split.train();
    test = split.test();
    // The session the command finds (getOrCreate), as spark-submit would have made it.
    spark = SparkSession.builder().master("local[2]").appName("ser4j test").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static String[] evolve(Path out, String... extra) {
    return split.evolve(out, extra);
  }

  record Result(int code, String out, String err) {}

  static Result spark(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SparkCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void executorsEncodeAsThisProcessDoes() throws Exception {
    SerDataset data =
        SerDataset.load(new DataSpec(train, test, null, 0.2, 3, ReadOptions.defaults()));
    EncoderConfig encoder =
        EncoderConfig.of(
                EncoderConfig.defaultSpec(false),
                false,
                EncoderConfig.DEFAULT_MAX_LENGTH,
                EncoderConfig.DEFAULT_INPUT)
            .pinned();
    SerInputs local;
    try (Featurizer f = new EncoderRuntime(null, 2, 1, Progress.quiet()).open(encoder)) {
      local = SerInputs.encode(f, data);
    }
    try (SparkFeatures onSpark = new SparkFeatures(spark, encoder, 3)) {
      HeadFeatures remote = onSpark.encode(data);
      for (int i = 0; i < local.test().size(); i++) {
        assertArrayEquals(local.test().chosen()[i], remote.test().chosen()[i], "test pair " + i);
        assertArrayEquals(local.test().rejected()[i], remote.test().rejected()[i]);
      }
      int[] keys = {7, 0, data.pool().size() - 1};
      for (int j = 0; j < keys.length; j++) {
        assertArrayEquals(local.poolFirst()[keys[j]], remote.pool(keys).chosen()[j]);
        assertArrayEquals(local.poolSecond()[keys[j]], remote.pool(keys).rejected()[j]);
      }
    }
  }

  @Test
  void sparkRunEqualsTheInProcessRun() throws Exception {
    Path local = dir.resolve("local");
    Path remote = dir.resolve("spark");
    split.evolveInProcess(local);
    Result r = spark(evolve(remote, "--partitions", "5"));
    assertEquals(0, r.code(), r.err());

    ObjectMapper json = new ObjectMapper();
    JsonNode a = json.readTree(local.resolve("report.json").toFile());
    JsonNode b = json.readTree(remote.resolve("report.json").toFile());
    assertEquals(a.get("final_loop"), b.get("final_loop"));
    assertEquals(a.get("loops").size(), b.get("loops").size());
    assertTrue(a.get("loops").size() >= 2, "at least one SER loop ran: " + a);
    for (int i = 0; i < a.get("loops").size(); i++) {
      JsonNode la = a.get("loops").get(i);
      JsonNode lb = b.get("loops").get(i);
      for (String field :
          List.of("selected", "train_pairs", "test_accuracy", "validation_accuracy")) {
        assertEquals(la.get(field), lb.get(field), "loop " + i + " " + field);
      }
      Path loop = Path.of("loop-" + i);
      assertArrayEquals(
          Files.readAllBytes(local.resolve(loop).resolve("model/model.safetensors")),
          Files.readAllBytes(remote.resolve(loop).resolve("model/model.safetensors")),
          "loop " + i + " weights");
      if (i > 0) {
        assertEquals(
            org.ser4j.ser.RunStore.selectedLines(local.resolve(loop).resolve("selected.jsonl")),
            org.ser4j.ser.RunStore.selectedLines(remote.resolve(loop).resolve("selected.jsonl")),
            "loop " + i + " selected pairs");
      }
    }
    assertTrue(a.get("loops").get(1).get("selected").asInt() > 0, "pairs were selected");

    Result again = spark("evolve", "--resume", remote.toString(), "--quiet");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("already finished"), again.out());
  }

  /**
   * Co-training across two encoders on Spark: the executors encode with both, and the run selects
   * the same pairs and trains the same weights as in one process.
   */
  @Test
  void coTrainedViewsOnSparkEqualTheInProcessRun() throws Exception {
    Path local = dir.resolve("views-local");
    Path remote = dir.resolve("views-spark");
    String[] views = {"--views", "bge-small-q,minilm-l6-q"};
    split.evolveInProcess(local, views);
    Result r = spark(evolve(remote, "--partitions", "3", "--views", "bge-small-q,minilm-l6-q"));
    assertEquals(0, r.code(), r.err());
    ObjectMapper json = new ObjectMapper();
    JsonNode a = json.readTree(local.resolve("report.json").toFile());
    JsonNode b = json.readTree(remote.resolve("report.json").toFile());
    assertEquals(a.get("loops").size(), b.get("loops").size());
    for (int i = 0; i < a.get("loops").size(); i++) {
      for (String field : List.of("selected", "test_accuracy", "views")) {
        assertEquals(
            a.get("loops").get(i).get(field),
            b.get("loops").get(i).get(field),
            "loop " + i + " " + field);
      }
      Path loop = Path.of("loop-" + i, "model", "model.safetensors");
      assertArrayEquals(
          Files.readAllBytes(local.resolve(loop)),
          Files.readAllBytes(remote.resolve(loop)),
          "loop " + i);
    }
    assertEquals(
        "bge-small-q+minilm-l6-q",
        json.readTree(remote.resolve("final").resolve("config.json").toFile())
            .get("encoder")
            .get("name")
            .asText());
  }

  /**
   * West-of-N pairs span two pool pairs, whose vectors the Spark pool fetches from the executors:
   * on an AlpacaEval slice (prompts with several answers) the Spark run builds and selects the same
   * pairs and trains the same weights as the in-process run.
   */
  @Test
  void westOfNOnSparkEqualsTheInProcessRun() throws Exception {
    Path alpaca = Path.of("..", "..", "shared", "data", "alpacaeval", "pairs.jsonl.gz");
    assertTrue(
        Files.exists(alpaca),
        "shared data missing: "
            + alpaca.toAbsolutePath()
            + " (the tests read the real datasets in ../shared/data beside the project)");
    java.util.Map<String, List<org.ser4j.data.PreferencePair>> byPrompt =
        new java.util.LinkedHashMap<>();
    for (var p :
        org.ser4j.data.format.PairReader.readAll(alpaca, ReadOptions.defaults().withSkipBad(true))
            .pairs()) {
      byPrompt.computeIfAbsent(p.prompt().transcript(), k -> new java.util.ArrayList<>()).add(p);
    }
    List<org.ser4j.data.PreferencePair> slice =
        byPrompt.values().stream()
            .filter(l -> l.size() >= 6)
            .limit(20)
            .flatMap(l -> l.subList(0, 6).stream())
            .toList();
    Path file = dir.resolve("alpaca-slice.jsonl");
    org.ser4j.data.format.PairWriter.write(file, slice);
    java.util.function.Function<Path, String[]> args =
        out ->
            new String[] {
              "evolve",
              "--train",
              file.toString(),
              "--test-fraction",
              "0.2",
              "--seed",
              "3",
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
              "1",
              "--min-new",
              "1",
              "--quiet",
              "--out",
              out.toString()
            };
    Path local = dir.resolve("won-local");
    Path remote = dir.resolve("won-spark");
    StringWriter err = new StringWriter();
    assertEquals(
        0,
        org.ser4j.cli.SerCli.run(
            args.apply(local), new PrintWriter(new StringWriter()), new PrintWriter(err)),
        err.toString());
    Result r = spark(args.apply(remote));
    assertEquals(0, r.code(), r.err());
    List<String> selected =
        org.ser4j.ser.RunStore.selectedLines(local.resolve("loop-1").resolve("selected.jsonl"));
    assertTrue(
        selected.stream().anyMatch(l -> l.contains("second_pool_key")),
        "loop 1 kept built pairs: " + selected.size() + " selected");
    assertEquals(
        selected,
        org.ser4j.ser.RunStore.selectedLines(remote.resolve("loop-1").resolve("selected.jsonl")),
        "the same pairs, built and plain");
    assertArrayEquals(
        Files.readAllBytes(local.resolve("loop-1/model/model.safetensors")),
        Files.readAllBytes(remote.resolve("loop-1/model/model.safetensors")),
        "the same weights");
  }

  /**
   * Your own data on Spark with the encoders chosen from the labels (`--encoder auto`, on the
   * driver before the engine starts) and the pool on the executors: the same loops and weights as
   * in one process. (ExecutorPoolTest checks the picks themselves, with one encoder.)
   */
  @Test
  void ownDataOnSparkEqualsTheInProcessRun() throws Exception {
    OwnDataSplit data = OwnDataSplit.writeTo(Files.createDirectories(dir.resolve("own")));
    Path local = dir.resolve("own-local");
    Path remote = dir.resolve("own-spark");
    data.inProcess(local, "--encoder", "auto");
    Result r = spark(data.evolve(data.pool().toString(), remote, "--encoder", "auto"));
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out().contains("data: 60 labeled, (read by the spark engine) unlabeled, 60 test"),
        r.out());
    assertTrue(r.out().contains("encoder auto: 7 candidates on 60 labeled pairs"), r.out());
    ObjectMapper json = new ObjectMapper();
    JsonNode a = json.readTree(local.resolve("report.json").toFile());
    JsonNode b = json.readTree(remote.resolve("report.json").toFile());
    assertEquals(a.get("loops").size(), b.get("loops").size());
    for (int i = 0; i < a.get("loops").size(); i++) {
      for (String field :
          List.of(
              "selected",
              "train_pairs",
              "test_accuracy",
              "validation_accuracy",
              "expected_precision")) {
        assertEquals(
            a.get("loops").get(i).get(field),
            b.get("loops").get(i).get(field),
            "loop " + i + " " + field);
      }
    }
    assertTrue(a.get("loops").size() >= 2, "at least one SER loop ran: " + a);
    assertArrayEquals(
        Files.readAllBytes(local.resolve("final/model.safetensors")),
        Files.readAllBytes(remote.resolve("final/model.safetensors")),
        "the same final model");
  }

  private static String[] append(String[] args, String last) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = last;
    return all;
  }

  @Test
  void hadoopUrisAndParquetAreReadAsTheLocalFiles() throws Exception {
    // The shared file's own records (one schema: Parquet has no mixed-type columns).
    Path raw = dir.resolve("raw.jsonl");
    try (var in =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(Files.newInputStream(HhSplit.HH)),
                java.nio.charset.StandardCharsets.UTF_8))) {
      Files.write(raw, in.lines().limit(200).toList());
    }
    // The core's own `ser evolve`, with the Spark engine found on the class path by name.
    Path plain = dir.resolve("plain");
    StringWriter coreErr = new StringWriter();
    String[] core =
        append(HhSplit.evolveOn(raw.toString(), test.toString(), plain, "--skip-bad"), "--engine");
    int code =
        org.ser4j.cli.SerCli.run(
            append(core, "spark"),
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(coreErr, true));
    assertEquals(0, code, coreErr.toString());
    Path parquet = dir.resolve("train.parquet");
    spark.read().json(raw.toString()).coalesce(1).write().parquet(parquet.toString());
    Path staged = dir.resolve("staged");
    Result r =
        spark(HhSplit.evolveOn(parquet.toString(), test.toUri().toString(), staged, "--skip-bad"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("staged " + parquet), r.err());
    Result local =
        spark(
            append(
                append(
                    HhSplit.evolveOn(
                        parquet.toString(), test.toString(), dir.resolve("local"), "--skip-bad"),
                    "--engine"),
                "local"));
    assertEquals(1, local.code(), local.err());
    assertTrue(
        local.err().contains(parquet + ": only the spark engine reads it; add --engine spark"),
        local.err());
    ObjectMapper json = new ObjectMapper();
    JsonNode a = json.readTree(plain.resolve("report.json").toFile());
    JsonNode b = json.readTree(staged.resolve("report.json").toFile());
    assertEquals(a.get("loops").size(), b.get("loops").size());
    for (int i = 0; i < a.get("loops").size(); i++) {
      for (String field : List.of("selected", "train_pairs", "test_accuracy")) {
        assertEquals(a.get("loops").get(i).get(field), b.get("loops").get(i).get(field));
      }
      Path weights = Path.of("loop-" + i, "model", "model.safetensors");
      assertArrayEquals(
          Files.readAllBytes(plain.resolve(weights)), Files.readAllBytes(staged.resolve(weights)));
    }
  }

  @Test
  void badInputNamesFileLineAndField() throws Exception {
    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(
        bad, Files.readAllLines(train).get(0) + "\n{\"prompt\": \"x\", \"chosen\": 3}\n");
    Result r = spark("evolve", "--train", bad.toString(), "--out", dir.resolve("bad").toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.err().contains(bad.toString() + ":2"), r.err());
    assertTrue(r.err().contains("field 'rejected'"), r.err());
  }

  @Test
  void fineTuningIsRefusedWithAReason() {
    Result r = spark(evolve(dir.resolve("ft"), "--finetune", "top:1"));
    assertEquals(1, r.code());
    assertTrue(r.err().contains("--finetune runs in one process only"), r.err());
  }
}
