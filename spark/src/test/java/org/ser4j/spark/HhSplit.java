package org.ser4j.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.PairWriter;
import org.ser4j.data.format.ReadOptions;

/**
 * A small split of the shared HH-RLHF file (200 training, 60 test pairs) and the evolve options.
 */
record HhSplit(Path train, Path test) {
  static final Path HH =
      Path.of("..", "..", "shared", "data", "hh-rlhf/harmless-base-test.jsonl.gz");

  static HhSplit writeTo(Path dir) throws IOException {
    assertTrue(
        Files.exists(HH),
        "shared data missing: "
            + HH.toAbsolutePath()
            + " (the tests read the real datasets in ../shared/data beside the project)");
    List<PreferencePair> all =
        PairReader.readAll(HH, ReadOptions.defaults().withSkipBad(true)).pairs();
    HhSplit split = new HhSplit(dir.resolve("train.jsonl"), dir.resolve("test.jsonl"));
    PairWriter.write(split.train, all.subList(0, 200));
    PairWriter.write(split.test, all.subList(200, 260));
    return split;
  }

  /** `evolve` on this split with lax thresholds, so that one loop selects; then {@code extra}. */
  String[] evolve(Path out, String... extra) {
    return evolveOn(train.toString(), test.toString(), out, extra);
  }

  /** As {@link #evolve} with other training and test inputs (paths or URIs). */
  static String[] evolveOn(String train, String test, Path out, String... extra) {
    String[] base = {
      "evolve",
      "--train",
      train,
      "--test",
      test,
      "--labeled-fraction",
      "0.2",
      "--max-loops",
      "2",
      "--selection",
      "good-bad",
      "--tau-high",
      "0.51",
      "--tau-low",
      "0.49",
      "--min-new",
      "5",
      "--seed",
      "3",
      "--quiet",
      "--out",
      out.toString()
    };
    java.util.List<String> rest = new java.util.ArrayList<>(java.util.List.of(extra));
    if (!rest.contains("--views") && !rest.contains("--encoder") && !rest.contains("--finetune")) {
      // These tests are about the engine: one encoder, the fastest (6 layers, 128 tokens), keeps
      // them fast; choosing the encoders (--encoder auto) happens on the driver before the engine
      // starts, and ownDataOnSparkEqualsTheInProcessRun runs it.
      rest.addAll(java.util.List.of("--encoder", "minilm-l6-q"));
      if (!rest.contains("--max-length")) {
        rest.addAll(java.util.List.of("--max-length", "128"));
      }
    }
    String[] all = java.util.Arrays.copyOf(base, base.length + rest.size());
    for (int i = 0; i < rest.size(); i++) {
      all[base.length + i] = rest.get(i);
    }
    return all;
  }

  /**
   * `ser evolve` in this process on the split, writing {@code out}; fails with its error output.
   */
  void evolveInProcess(Path out, String... extra) {
    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        org.ser4j.cli.SerCli.run(
            evolve(out, extra),
            new java.io.PrintWriter(new java.io.StringWriter()),
            new java.io.PrintWriter(err));
    org.junit.jupiter.api.Assertions.assertEquals(0, code, err.toString());
  }
}
