package org.ser4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ser4j.data.Prompt;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.model.learn.Comparison;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.ser.RunStore;
import org.ser4j.ser.select.LengthBalance;

/**
 * What the driver asks of picks whose texts stay on the executors, at sizes past the point where
 * they come in parts (more than 5,000 texts): the pool numbered in read order, each pick's texts in
 * key order, which answer is longer, and the key ranges they come in.
 */
class ExecutorPicksTest {
  static final int N = 15_000;
  static SparkSession spark;
  static JavaSparkContext context;
  static long[] codes; // where each pair was read, as the reader codes it (file, line, pair)
  static ReadOrderKeys keys;
  static JavaRDD<PoolRow> read; // the pool with its texts
  static JavaRDD<PoolRow> numbered; // the same, keyed

  @BeforeAll
  static void pool() {
    spark = SparkSession.builder().master("local[2]").appName("ser4j picks test").getOrCreate();
    context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Random rnd = new Random(3);
    List<PoolRow> rows = new ArrayList<>();
    codes = new long[N];
    for (int i = 0; i < N; i++) {
      codes[i] = PoolRow.order(i % 3, 1 + i / 3 + rnd.nextInt(2) * 5_000L, i % 2);
      String a = "a".repeat(1 + rnd.nextInt(40));
      String b = "b".repeat(1 + rnd.nextInt(40));
      rows.add(
          new PoolRow(codes[i], i, "id" + codes[i], Prompt.of("q" + codes[i]), a, b, null, null));
    }
    Collections.shuffle(rows, rnd); // partitions hold the pool in no order, as after repartition
    read = context.parallelize(rows, 7).cache();
    // As the pool is persisted: without texts (their lengths kept), numbered; its texts apart.
    JavaRDD<PoolRow> pooled = read.map(PoolRow::vectorsOnly).cache();
    pooled.count();
    keys = new ReadOrderKeys(pooled);
    numbered = keys.keyed(read);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /**
   * Partitions fetched ahead of the one read still come in partition order, each in its order, as
   * toLocalIterator brings them (empty ones among them); a failed job's error reaches the reader.
   */
  @Test
  void partsFetchedAheadComeInOrder() {
    JavaRDD<Integer> parts =
        context
            .parallelize(java.util.stream.IntStream.range(0, 10_000).boxed().toList(), 9)
            .filter(i -> i % 3000 > 700); // some parts empty
    List<Integer> expected = new ArrayList<>();
    parts.toLocalIterator().forEachRemaining(expected::add);
    List<Integer> got = new ArrayList<>();
    try (PartsInOrder<Integer> inOrder = PartsInOrder.of(parts)) {
      inOrder.forEachRemaining(got::add);
    }
    assertEquals(expected, got);
    assertTrue(expected.size() > 5_000 && expected.size() < 10_000, "some left out");

    JavaRDD<Integer> failing =
        parts.map(
            i -> {
              if (i == 9_999) {
                throw new IllegalArgumentException("bad row " + i);
              }
              return i;
            });
    List<Integer> before = new ArrayList<>();
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            Exception.class,
            () -> {
              try (PartsInOrder<Integer> inOrder = PartsInOrder.of(failing)) {
                inOrder.forEachRemaining(before::add);
              }
            });
    assertTrue(String.valueOf(e.getMessage()).contains("bad row 9999"), e.toString());
    assertEquals(expected.subList(0, before.size()), before, "what came before the failure");
  }

  /** Key k is the pair read k-th: the k-th smallest read code (a separate sort here). */
  @Test
  void thePoolIsNumberedInReadOrder() {
    long[] sorted = codes.clone();
    Arrays.sort(sorted);
    List<PoolRow> back = numbered.collect();
    assertEquals(N, back.size());
    long[] keys = back.stream().mapToLong(PoolRow::order).sorted().toArray();
    for (int k = 0; k < N; k++) {
      assertEquals(k, keys[k], "keys 0 to n-1, each once");
    }
    for (PoolRow r : back) {
      assertEquals("id" + sorted[(int) r.order()], r.id(), "key " + r.order());
    }
  }

  @Test
  void picksComeWithTheirTextsInReadOrderAndTheirLengths() throws Exception {
    ExecutorPool pool =
        new ExecutorPool(
            context, keys, numbered, N, null, 100_000, false, new java.io.PrintWriter(System.err));
    Random rnd = new Random(5);
    List<SelfLabel> labels = pool.newSelfLabels();
    for (int k = 0; k < N; k++) {
      if (rnd.nextInt(5) > 0) { // 12,000 picks or so
        labels.add(
            SelfLabel.of(
                Comparison.of(new UnlabeledPair(k, null, null, null, null, null)),
                rnd.nextDouble(),
                rnd.nextDouble(),
                1));
      }
    }
    assertComeWithTheirTexts(pool, labels, labels);
    // Labels not in key order (a training set's, loop after loop) come in key order.
    List<SelfLabel> shuffled = new ArrayList<>(labels.subList(0, 7_000));
    Collections.shuffle(shuffled, rnd);
    List<SelfLabel> byKey = new ArrayList<>(shuffled);
    byKey.sort(java.util.Comparator.comparingInt(l -> l.pair().key()));
    assertComeWithTheirTexts(pool, shuffled, byKey);
  }

  /**
   * A loop's picks are written by the executors as part files of a directory, which read in name
   * order give the lines the driver writes (the labels in key order, each with its texts and its
   * numbers to the last bit); the directory replaces a file of that name.
   */
  @Test
  void picksAreWrittenAsPartsWhereTheirTextsAre(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    ExecutorPool pool =
        new ExecutorPool(
            context, keys, numbered, N, null, 100_000, false, new java.io.PrintWriter(System.err));
    Random rnd = new Random(8);
    List<SelfLabel> labels = new ArrayList<>();
    for (int k = 0; k < N; k++) {
      if (rnd.nextInt(3) > 0) {
        labels.add(
            new SelfLabel(
                Comparison.of(new UnlabeledPair(k, null, null, null, null, null)),
                rnd.nextBoolean(),
                rnd.nextDouble(),
                rnd.nextDouble(),
                1 + rnd.nextInt(3)));
      }
    }
    Collections.shuffle(labels, rnd); // not in key order: they are written in key order
    List<String> expected = new ArrayList<>();
    pool.withTexts(
        labels, l -> expected.add(new String(RunStore.selectedLine(l), StandardCharsets.UTF_8)));
    Path file = dir.resolve(RunStore.SELECTED);
    Files.writeString(file, "an earlier try's file\n");
    pool.writeWithTexts(file, labels, RunStore::selectedLine);
    assertTrue(Files.isDirectory(file), "parts, in a directory of that name");
    try (var parts = Files.list(file)) {
      assertEquals(
          List.of("part-00000.jsonl", "part-00001.jsonl"),
          parts.map(p -> p.getFileName().toString()).sorted().toList(),
          "a part a core (10,000 labels or so), no temporary file left");
    }
    assertEquals(expected, RunStore.selectedLines(file));
    try (var left = Files.list(dir)) {
      assertEquals(List.of(file), left.toList(), "the parts' own directory is gone");
    }
  }

  /**
   * Built (West-of-N) labels, after a loop's plain ones, come with both their pairs' texts, in
   * their order, and which answer is longer is read across the two pairs. Written where the texts
   * are, their lines are parts of their own after the plain ones, the same lines the driver would
   * write, whether a label's two pairs were read into one part of the pool or into two.
   */
  @Test
  void builtLabelsComeWithBothPairsTexts(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    ExecutorPool pool =
        new ExecutorPool(
            context, keys, numbered, N, null, 100_000, true, new java.io.PrintWriter(System.err));
    java.util.Map<Integer, List<Integer>> byPart = new java.util.TreeMap<>();
    numbered
        .mapPartitionsWithIndex(
            (p, it) -> {
              List<int[]> out = new ArrayList<>();
              it.forEachRemaining(r -> out.add(new int[] {p, (int) r.order()}));
              return out.iterator();
            },
            true)
        .collect()
        .forEach(pk -> byPart.computeIfAbsent(pk[0], k -> new ArrayList<>()).add(pk[1]));
    Random rnd = new Random(9);
    List<SelfLabel> labels = new ArrayList<>();
    for (int k = 0; k < N; k += 7) { // a loop's plain picks, in key order
      labels.add(
          SelfLabel.of(
              Comparison.of(new UnlabeledPair(k, null, null, null, null, null)),
              rnd.nextDouble(),
              rnd.nextDouble(),
              2));
    }
    int plain = labels.size();
    for (List<Integer> keysHere : byPart.values()) { // then built ones, most within a part
      for (int i = 0; i + 1 < keysHere.size() && i < 200; i += 2) {
        labels.add(built(keysHere.get(i), keysHere.get(i + 1), rnd));
      }
    }
    List<List<Integer>> twoParts = new ArrayList<>(byPart.values());
    labels.add(built(twoParts.get(0).get(1), twoParts.get(1).get(1), rnd)); // one across two
    labels.add(built(7, twoParts.get(2).get(3), rnd)); // a plain pick's pair, in a built one too
    List<SelfLabel> written = new ArrayList<>();
    pool.withTexts(labels, written::add);
    assertEquals(labels.size(), written.size());
    java.util.Map<Long, PoolRow> byKey = new java.util.HashMap<>();
    numbered.collect().forEach(r -> byKey.put(r.order(), r));
    for (int i = plain; i < labels.size(); i++) {
      Comparison c = labels.get(i).pair();
      SelfLabel w = written.get(i);
      assertEquals(c.key(), w.pair().key(), "in their order");
      assertEquals(c.second().pair().key(), w.pair().second().pair().key());
      PoolRow a = byKey.get((long) c.key());
      PoolRow b = byKey.get((long) c.second().pair().key());
      assertEquals(c.first().isFirst() ? a.first() : a.second(), w.pair().first().text());
      assertEquals(c.second().isFirst() ? b.first() : b.second(), w.pair().second().text());
      assertEquals(b.prompt(), w.pair().second().pair().prompt());
    }
    assertArrayEquals(LengthBalance.chosenLonger(written), pool.chosenLonger(labels));
    List<String> expected = new ArrayList<>();
    for (SelfLabel l : written) {
      expected.add(new String(RunStore.selectedLine(l), StandardCharsets.UTF_8));
    }
    Path parts = dir.resolve("parts").resolve(RunStore.SELECTED);
    Files.createDirectories(parts.getParent());
    pool.writeWithTexts(parts, labels, RunStore::selectedLine);
    assertTrue(Files.isDirectory(parts), "written where the texts are");
    assertEquals(expected, RunStore.selectedLines(parts));
  }

  /** A built label over pairs {@code a} and {@code b} (keys alone), random sides and numbers. */
  private static SelfLabel built(int a, int b, Random rnd) {
    return new SelfLabel(
        new Comparison(
            new Comparison.Answer(
                new UnlabeledPair(a, null, null, null, null, null), rnd.nextBoolean()),
            new Comparison.Answer(
                new UnlabeledPair(b, null, null, null, null, null), rnd.nextBoolean())),
        rnd.nextBoolean(),
        rnd.nextDouble(),
        rnd.nextDouble(),
        2);
  }

  /** A part a task reported that the driver does not see, or lines short, is missing. */
  @Test
  void partsNotSeenHereAreMissing(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(SelectedParts.partName(0)), "x\n");
    assertEquals(
        List.of(), SelectedParts.missing(dir, List.of(new long[] {0, 1, 2}), 1), "whole here");
    assertEquals(
        List.of("part-00001.jsonl"),
        SelectedParts.missing(dir, List.of(new long[] {0, 1, 2}, new long[] {1, 0, 0}), 1),
        "written on another machine");
    assertEquals(
        List.of("part-00000.jsonl", "1 lines for 2 labels"),
        SelectedParts.missing(dir, List.of(new long[] {0, 1, 5}), 2));
  }

  /** {@code pool} hands {@code asked} with their texts, in the order of {@code labels}. */
  private static void assertComeWithTheirTexts(
      ExecutorPool pool, List<SelfLabel> asked, List<SelfLabel> labels) throws java.io.IOException {
    java.util.Map<Long, PoolRow> byKey = new java.util.HashMap<>();
    numbered.collect().forEach(r -> byKey.put(r.order(), r));
    List<SelfLabel> written = new ArrayList<>();
    pool.withTexts(asked, written::add);
    assertEquals(labels.size(), written.size());
    for (int i = 0; i < labels.size(); i++) {
      SelfLabel l = labels.get(i);
      SelfLabel w = written.get(i);
      PoolRow r = byKey.get((long) l.pair().key());
      assertEquals(l.pair().key(), w.pair().key(), "in order");
      assertEquals(l.firstPreferred(), w.firstPreferred());
      assertEquals(r.first(), w.pair().first().text());
      assertEquals(r.second(), w.pair().second().text());
      assertEquals(r.prompt(), w.pair().prompt());
    }
    assertArrayEquals(LengthBalance.chosenLonger(written), pool.chosenLonger(labels));
  }

  /** Key ranges cover the partitions in key order: read one after another, keys come sorted. */
  @Test
  void keyRangesAreInKeyOrderAndCoverEveryPart() {
    for (long size : new long[] {1, 7, 15_000, 10_000_001}) {
      for (int parts : new int[] {1, 3, 8, 100}) {
        KeyRanges r = new KeyRanges(parts, size);
        int last = 0;
        java.util.BitSet seen = new java.util.BitSet();
        long step = Math.max(1, size / 10_000);
        for (long i = 0; i <= size / step; i++) {
          long k = Math.min(size - 1, i * step); // every step-th key, and the last
          int p = r.getPartition(k);
          assertTrue(p >= last && p < parts, size + " keys, " + parts + " parts: key " + k);
          seen.set(p);
          last = p;
        }
        assertEquals(0, r.getPartition(0L));
        if (size >= parts) {
          assertEquals(parts - 1, r.getPartition(size - 1), "the last key in the last part");
        }
        if (size >= 10L * parts && step == 1) {
          assertEquals(parts, seen.cardinality(), "every part has keys");
        }
      }
    }
  }
}
