package org.ser4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.model.Safetensors;
import org.ser4j.model.Tensor;
import org.ser4j.testing.SharedData;
import org.ser4j.testing.TestEncoders;

/**
 * `ser evolve` with a fixed seed gives the report and weights recorded before the one-loop
 * restructuring (frozen encoder + head, and top:1 fine-tuning). The recorded files are in
 * src/test/resources/regression; {@code -Dser4j.regression.write=true} records them anew.
 *
 * <p>Report fields are compared exactly (timings left out); weights by count, sum, sum of squares
 * and their first values within 1e-4, so that another CPU's last-bit differences in the encoder do
 * not fail the test while any change to the loop does.
 *
 * <p>Int8 kernels differ by more than last bits between CPU instruction sets: on a CPU with AMX
 * (Sapphire Rapids and later) ONNX Runtime's int8 encoder and PyTorch give other features, and a
 * loop selects one pair more or less. There the files named {@code *.amx.json} hold the reference,
 * recorded with the code of commit 3075de0 (the one-loop code, no longer the code before it).
 */
class EvolveRegressionTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Path GOLDEN = Path.of("src", "test", "resources", "regression");
  @TempDir Path dir;

  /**
   * "amx" on a CPU with AMX int8 tiles (see above), "vnni512" on one with AVX-512 VNNI but no AMX
   * (AMD Zen 4 and later: its int8 kernels differ again; recorded with the code of commit c16bc19),
   * else "" (the files recorded first, AVX2).
   */
  private static final String PLATFORM =
      cpuFlags().contains(" amx_int8")
          ? "amx"
          : cpuFlags().contains(" avx512_vnni ") ? "vnni512" : "";

  private static String cpuFlags() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("flags"))
          .findFirst()
          .map(l -> l + " ")
          .orElse("");
    } catch (java.io.IOException | RuntimeException e) {
      return "";
    }
  }

  @Test
  void frozenRunIsUnchanged() throws Exception {
    Path run = dir.resolve("frozen");
    CliTest.Result r =
        CliTest.run(
            "evolve",
            "--train",
            SharedData.require(SharedData.HH_RLHF).toString(),
            "--test-fraction",
            "0.2",
            "--seed",
            "7",
            "--skip-bad",
            "--quiet",
            "--max-loops",
            "2",
            "--keep",
            "last",
            "--decision-folds", // the validation slice, the default when the files were recorded
            "0",
            "--self-label-weight", // and weight 1
            "1",
            "--encoder", // the encoder the files were recorded with (before --encoder auto chose)
            "bge-small-q",
            "--cache",
            TestEncoders.CACHE.toString(),
            "--out",
            run.toString());
    assertEquals(0, r.code(), r.err());
    check(run, "evolve-frozen.json");
  }

  /**
   * Once in about a dozen full test runs on 2026-12-01 (AMD, AVX-512, another DJL process busy),
   * this run's loop 0 came out with another training loss (0.372 for 0.327), while every rerun in
   * one process, alone or beside another, gave the recorded one: fine-tuning on DJL/PyTorch is not
   * yet reproducible run to run in every condition (issue 24, item 6, open). A mismatch is
   * therefore run a second time: a regression fails both runs, a rare non-reproducible run is
   * reported on stderr and judged by the second.
   */
  @Test
  void fineTunedRunIsUnchanged() throws Exception {
    Path[] files = CliTest.hhSplit(dir, 300, 60);
    for (int attempt = 1; ; attempt++) {
      Path run = dir.resolve("top1-" + attempt);
      CliTest.Result r =
          CliTest.run(FineTunedEvolveTest.top1Evolve(files[0], files[1], run, "--no-cache"));
      assertEquals(0, r.code(), r.err());
      try {
        check(run, "evolve-top1.json");
        return;
      } catch (AssertionError e) {
        if (attempt == 2) {
          throw e;
        }
        System.err.println(
            "EvolveRegressionTest: the fine-tuned run differs from the recorded one ("
                + e.getMessage()
                + "); running it again to tell a regression from a non-reproducible run");
      }
    }
  }

  /**
   * The run's loops (without timings) and a summary of each loop's weights, against the recorded
   * file.
   */
  private static void check(Path run, String golden) throws Exception {
    ObjectNode found = summary(run);
    String onThisCpu = golden.replace(".json", "." + PLATFORM + ".json");
    Path file =
        !PLATFORM.isEmpty() && Files.isRegularFile(GOLDEN.resolve(onThisCpu))
                || Boolean.getBoolean("ser4j.regression.write") && !PLATFORM.isEmpty()
            ? GOLDEN.resolve(onThisCpu)
            : GOLDEN.resolve(golden);
    if (Boolean.getBoolean("ser4j.regression.write")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, JSON.writeValueAsString(found) + "\n");
    }
    JsonNode expected = JSON.readTree(file.toFile());
    same(expected.get("report"), found.get("report"), "report.json");
    JsonNode ew = expected.get("weights");
    JsonNode fw = found.get("weights");
    assertEquals(ew.size(), fw.size(), "loops with weights");
    for (int loop = 0; loop < ew.size(); loop++) {
      JsonNode e = ew.get(loop);
      JsonNode f = fw.get(loop);
      assertEquals(fieldNames(e), fieldNames(f), "loop " + loop + ": tensor names");
      for (var it = e.fields(); it.hasNext(); ) {
        var t = it.next();
        JsonNode a = t.getValue();
        JsonNode b = f.get(t.getKey());
        String where = "loop " + loop + " " + t.getKey();
        assertEquals(a.get("count").asLong(), b.get("count").asLong(), where);
        close(a.get("sum").asDouble(), b.get("sum").asDouble(), where + " sum");
        close(
            a.get("sum_of_squares").asDouble(),
            b.get("sum_of_squares").asDouble(),
            where + " sum of squares");
        for (int i = 0; i < a.get("first").size(); i++) {
          close(
              a.get("first").get(i).asDouble(),
              b.get("first").get(i).asDouble(),
              where + "[" + i + "]");
        }
      }
    }
  }

  /** Equal JSON trees, numbers with a fraction within 1e-6 (losses), everything else exactly. */
  private static void same(JsonNode a, JsonNode b, String where) {
    if (a.isFloatingPointNumber() && b.isNumber()) {
      assertTrue(
          Math.abs(a.asDouble() - b.asDouble()) <= 1e-6 * Math.max(1, Math.abs(a.asDouble())),
          where + ": recorded " + a + ", now " + b);
    } else if (a.isContainerNode()) {
      assertEquals(a.size(), b.size(), where + ": size");
      assertEquals(fieldNames(a), fieldNames(b), where + ": fields");
      if (a.isArray()) {
        for (int i = 0; i < a.size(); i++) {
          same(a.get(i), b.get(i), where + "[" + i + "]");
        }
      } else {
        a.fieldNames().forEachRemaining(k -> same(a.get(k), b.get(k), where + "." + k));
      }
    } else {
      assertEquals(a, b, where);
    }
  }

  private static void close(double a, double b, String what) {
    assertTrue(
        Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(a)),
        what + ": recorded " + a + ", now " + b);
  }

  private static String fieldNames(JsonNode n) {
    StringBuilder s = new StringBuilder();
    n.fieldNames().forEachRemaining(k -> s.append(k).append(','));
    return s.toString();
  }

  private static ObjectNode summary(Path run) throws Exception {
    ObjectNode out = JSON.createObjectNode();
    ObjectNode report = (ObjectNode) JSON.readTree(run.resolve("report.json").toFile());
    // Style splits come from the test rewards test_accuracy already pins (and postdate the files).
    ((ArrayNode) report.get("loops"))
        .forEach(l -> ((ObjectNode) l).remove(java.util.List.of("seconds", "style_splits")));
    out.set("report", report);
    ArrayNode weights = out.putArray("weights");
    for (int loop = 0; loop < report.get("loops").size(); loop++) {
      ObjectNode w = weights.addObject();
      Map<String, Tensor> tensors =
          Safetensors.read(
              run.resolve("loop-" + loop).resolve("model").resolve("model.safetensors"));
      new java.util.TreeMap<>(tensors)
          .forEach(
              (name, t) -> {
                ObjectNode s = w.putObject(name);
                double sum = 0;
                double sq = 0;
                for (float v : t.values()) {
                  sum += v;
                  sq += (double) v * v;
                }
                s.put("count", t.values().length);
                s.put("sum", sum);
                s.put("sum_of_squares", sq);
                ArrayNode first = s.putArray("first");
                for (int i = 0; i < Math.min(8, t.values().length); i++) {
                  first.add(t.values()[i]);
                }
              });
    }
    return out;
  }
}
