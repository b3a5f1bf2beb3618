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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.cli.SerCli;
import org.ser4j.model.head.HeadModel;
import org.ser4j.testing.SharedData;
import org.ser4j.testing.TestEncoders;

/**
 * `ser evolve` in a real child JVM, killed with SIGKILL at random moments and resumed each time: it
 * must end with the same report and weights as an uninterrupted run.
 */
class KillAndResumeTest {
  @TempDir Path dir;
  private static final ObjectMapper JSON = new ObjectMapper();

  private List<String> extra = List.of();

  private List<String> args(Path out) {
    List<String> a = new ArrayList<>(extra);
    a.addAll(
        0,
        List.of(
            "evolve",
            "--train",
            SharedData.require(SharedData.HH_RLHF).toString(),
            "--test-fraction",
            "0.2",
            "--seed",
            "11",
            "--skip-bad",
            "--quiet",
            "--max-loops",
            "3",
            "--min-new",
            "5",
            "--cache",
            TestEncoders.CACHE.toString(),
            "--out",
            out.toString()));
    return a;
  }

  private static Process child(List<String> cliArgs, Path log) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g",
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                SerCli.class.getName()));
    cmd.addAll(cliArgs);
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static JsonNode loopsWithoutTime(Path run) throws IOException {
    ArrayNode loops = (ArrayNode) JSON.readTree(run.resolve("report.json").toFile()).get("loops");
    loops.forEach(l -> ((ObjectNode) l).remove("seconds"));
    return loops;
  }

  /**
   * Loops listed in a run's report (0 before the first); a report being replaced reads whole or not
   * at all.
   */
  private static int loopsOnDisk(Path run) {
    try {
      return JSON.readTree(run.resolve("report.json").toFile()).get("loops").size();
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  @Test
  void aCoTrainedRunOnTwoEncodersKilledAndResumedEndsLikeAnUninterruptedRun() throws Exception {
    extra = List.of("--views", "bge-small-q,minilm-l6-q");
    killedAtRandomAndResumedEndsLikeAnUninterruptedRun();
    // Each loop reports what each view did; a loop with self-labels says who was taught what.
    JsonNode loop1 =
        JSON.readTree(dir.resolve("reference").resolve("report.json").toFile()).get("loops").get(1);
    JsonNode views = loop1.get("views").get("views");
    assertEquals(2, views.size(), loop1.toString());
    assertEquals("bge-small-q", views.get(0).get("encoder").asText());
    assertEquals("minilm-l6-q", views.get(1).get("encoder").asText());
    int selected = loop1.get("selected_total").asInt();
    for (JsonNode v : views) {
      int taught = v.get("self_labels_taught").asInt();
      assertTrue(taught >= 0 && taught <= selected, v.toString());
      assertTrue(v.get("test_accuracy").asDouble() > 0.5, v.toString());
    }
    double agreement = loop1.get("views").get("agreement_on_self_labels").asDouble();
    assertTrue(agreement > 0 && agreement <= 1, loop1.toString());
  }

  @Test
  void killedAtRandomAndResumedEndsLikeAnUninterruptedRun() throws Exception {
    // The uninterrupted reference, in this JVM (it also fills the feature cache the children read).
    Path reference = dir.resolve("reference");
    java.io.StringWriter err = new java.io.StringWriter();
    assertEquals(
        0,
        SerCli.run(
            args(reference).toArray(String[]::new),
            new java.io.PrintWriter(new java.io.StringWriter()),
            new java.io.PrintWriter(err)),
        err.toString());
    int loops = JSON.readTree(reference.resolve("report.json").toFile()).get("loops").size();
    assertTrue(loops >= 2, "the run has SER loops to interrupt");

    // Kill points: once during start-up (before or while run.json is written), then each time at a
    // random moment shortly after the child has finished one more loop (while it saves or trains
    // the next), until a run is allowed to finish.
    Path run = dir.resolve("killed");
    Random random = new Random(2026);
    int kills = 0;
    for (int attempt = 0; attempt < 2 * loops + 2; attempt++) {
      boolean resume = Files.isRegularFile(run.resolve("run.json"));
      List<String> cli =
          resume
              ? List.of(
                  "evolve",
                  "--resume",
                  run.toString(),
                  "--quiet",
                  "--cache",
                  TestEncoders.CACHE.toString())
              : args(run);
      int loopsBefore = loopsOnDisk(run);
      Path log = dir.resolve("child-" + attempt + ".log");
      Process c = child(cli, log);
      boolean killThisOne = attempt < 2 * loops;
      if (killThisOne) {
        if (attempt == 0) {
          Thread.sleep(200 + random.nextInt(600));
        } else {
          long deadline = System.currentTimeMillis() + 120_000;
          while (c.isAlive()
              && loopsOnDisk(run) <= loopsBefore
              && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
          }
          Thread.sleep(random.nextInt(150));
        }
        if (c.isAlive()) {
          c.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing
          c.waitFor();
          kills++;
          continue;
        }
      }
      assertTrue(c.waitFor(5, TimeUnit.MINUTES));
      assertEquals(0, c.exitValue(), Files.readString(log));
      if (JSON.readTree(run.resolve("report.json").toFile()).path("finished").asBoolean()) {
        break;
      }
    }
    assertTrue(kills >= 2, "the test killed the run more than once: " + kills);
    assertTrue(JSON.readTree(run.resolve("report.json").toFile()).get("finished").asBoolean());
    assertEquals(loopsWithoutTime(reference), loopsWithoutTime(run));
    int last = loops - 1;
    assertArrayEquals(
        HeadModel.load(reference.resolve("loop-" + last).resolve("model")).head().parameters(),
        HeadModel.load(run.resolve("loop-" + last).resolve("model")).head().parameters());
    // Identical models give identical files, though other processes wrote them (map keys in a fixed
    // order).
    for (int loop = 0; loop < loops; loop++) {
      Path a = reference.resolve("loop-" + loop).resolve("model").resolve("model.safetensors");
      Path b = run.resolve("loop-" + loop).resolve("model").resolve("model.safetensors");
      assertArrayEquals(
          Files.readAllBytes(a),
          Files.readAllBytes(b),
          "loop " + loop + ": " + b + " differs from " + a);
    }
  }
}
