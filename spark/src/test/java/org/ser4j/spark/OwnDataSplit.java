package org.ser4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.PairWriter;
import org.ser4j.data.format.ReadOptions;

/**
 * Your own data from the quick start's file (its first 360 pairs): 60 human-labeled pairs, a pool
 * of 243 pairs nobody judged (the labels stripped, answers in a random order; pair 240 is a labeled
 * pair again, answers swapped, which the overlap check must leave out; pairs 241 and 242 repeat
 * pool pairs {@link #REPEATED}, the second with its answers swapped) and 60 test pairs.
 */
record OwnDataSplit(Path labeled, Path pool, Path test, List<UnlabeledPair> pairs) {
  /** The pool pairs the pool holds twice. */
  static final int[] REPEATED = {4, 10}; // two pairs loop 1 selects

  static OwnDataSplit writeTo(Path dir) throws IOException {
    List<PreferencePair> all =
        PairReader.readAll(HhSplit.HH, ReadOptions.defaults().withSkipBad(true)).pairs();
    OwnDataSplit split = in(dir);
    PairWriter.write(split.labeled, all.subList(0, 60));
    PairWriter.write(split.test, all.subList(300, 360));
    Random coin = new Random(5);
    for (PreferencePair p : all.subList(60, 300)) {
      boolean flip = coin.nextBoolean();
      split.pairs.add(pair(split.pairs.size(), p, flip));
    }
    split.pairs.add(pair(split.pairs.size(), all.get(7), true)); // already labeled
    // A pool may hold a pair twice: as it was, and with its answers the other way round. One
    // process keeps both copies, as two pairs; so must the executors.
    UnlabeledPair asIs = split.pairs.get(REPEATED[0]);
    UnlabeledPair swapped = split.pairs.get(REPEATED[1]);
    split.pairs.add(
        new UnlabeledPair(
            241, "again-1", asIs.prompt(), asIs.first(), asIs.second(), asIs.source()));
    split.pairs.add(
        new UnlabeledPair(
            242, "again-2", swapped.prompt(), swapped.second(), swapped.first(), swapped.source()));
    PairWriter.writeUnlabeled(split.pool, split.pairs);
    return split;
  }

  /**
   * Data whose prompts each have several answers (West-of-N builds pairs from them): AlpacaEval's
   * prompts with six or more answer pairs, six of each; ten prompts labeled, ten for the test, and
   * a pool of 30 prompts' pairs (labels stripped, answers in a random order).
   */
  static OwnDataSplit manyAnswers(Path dir) throws IOException {
    Path alpaca = Path.of("..", "..", "shared", "data", "alpacaeval", "pairs.jsonl.gz");
    java.util.Map<String, List<PreferencePair>> byPrompt = new java.util.LinkedHashMap<>();
    for (PreferencePair p :
        PairReader.readAll(alpaca, ReadOptions.defaults().withSkipBad(true)).pairs()) {
      byPrompt.computeIfAbsent(p.prompt().transcript(), k -> new ArrayList<>()).add(p);
    }
    List<List<PreferencePair>> prompts =
        byPrompt.values().stream().filter(l -> l.size() >= 6).limit(50).toList();
    Files.createDirectories(dir);
    OwnDataSplit split = in(dir);
    java.util.function.Function<List<List<PreferencePair>>, List<PreferencePair>> six =
        l -> l.stream().flatMap(q -> q.subList(0, 6).stream()).toList();
    PairWriter.write(split.labeled, six.apply(prompts.subList(0, 10)));
    PairWriter.write(split.test, six.apply(prompts.subList(40, 50)));
    Random coin = new Random(7);
    for (PreferencePair p : six.apply(prompts.subList(10, 40))) {
      split.pairs.add(pair(split.pairs.size(), p, coin.nextBoolean()));
    }
    PairWriter.writeUnlabeled(split.pool, split.pairs);
    return split;
  }

  /** An empty split whose files are in {@code dir}. */
  private static OwnDataSplit in(Path dir) {
    return new OwnDataSplit(
        dir.resolve("labeled.jsonl"),
        dir.resolve("pool.jsonl"),
        dir.resolve("test.jsonl"),
        new ArrayList<>());
  }

  private static UnlabeledPair pair(int key, PreferencePair p, boolean flip) {
    return new UnlabeledPair(
        key,
        p.id(),
        p.prompt(),
        flip ? p.rejected() : p.chosen(),
        flip ? p.chosen() : p.rejected(),
        p.source());
  }

  /**
   * `evolve` on this data with the pool at {@code pool}, lax thresholds so that loops select; one
   * encoder unless {@code extra} names another: the fastest (minilm-l6-q, 128 tokens), since these
   * tests compare engines, not encoders, and each run encodes its texts afresh.
   */
  String[] evolve(String pool, Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "evolve",
                "--labeled",
                labeled.toString(),
                "--unlabeled",
                pool,
                "--test",
                test.toString(),
                "--max-loops",
                "2",
                "--selection",
                "good-bad",
                "--tau-high",
                "0.51",
                "--tau-low",
                "0.49",
                "--min-new",
                "1",
                "--seed",
                "3",
                "--quiet",
                "--out",
                out.toString()));
    if (!List.of(extra).contains("--encoder") && !List.of(extra).contains("--views")) {
      args.addAll(List.of("--encoder", "minilm-l6-q"));
      if (!List.of(extra).contains("--max-length")) {
        args.addAll(List.of("--max-length", "128"));
      }
    }
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  /** `ser evolve` in this process; fails with its error output. */
  void inProcess(Path out, String... extra) {
    StringWriter err = new StringWriter();
    int code =
        org.ser4j.cli.SerCli.run(
            evolve(pool.toString(), out, extra),
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertEquals(0, code, err.toString());
  }

  /** The content ids each SER loop of run {@code run} selected, in its order, loop by loop. */
  static List<List<String>> selectedIds(Path run) throws IOException {
    List<List<String>> loops = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (int loop = 1; Files.exists(run.resolve("loop-" + loop)); loop++) {
      List<String> ids = new ArrayList<>();
      for (String line :
          org.ser4j.ser.RunStore.selectedLines(
              run.resolve("loop-" + loop).resolve("selected.jsonl"))) {
        JsonNode n = json.readTree(line);
        ids.add(n.get("content_id").asText());
      }
      loops.add(ids);
    }
    return loops;
  }
}
