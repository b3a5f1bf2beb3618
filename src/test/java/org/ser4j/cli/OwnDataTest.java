package org.ser4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.api.Ser4j;
import org.ser4j.data.Prompt;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.RewardScorer;
import org.ser4j.testing.SharedData;
import org.ser4j.testing.TestEncoders;

/**
 * SER on your own data, end to end as a team runs it: human labels and a pool nobody judged
 * (HH-RLHF with the pool's labels stripped), `ser evolve --labeled --unlabeled --test`, `ser serve`
 * on the run (a real process), `ser export`, then more human labels with `--resume --add-labels`.
 */
class OwnDataTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void ownDataRunsServesExportsAndTakesMoreLabels() throws Exception {
    Path split = dir.resolve("split");
    CliTest.Result s =
        CliTest.run(
            "data",
            "split",
            "--train",
            SharedData.require(SharedData.HH_RLHF).toString(),
            "--test-fraction",
            "0.2",
            "--seed",
            "42",
            "--skip-bad",
            "--labeled-fraction",
            "0.1",
            "--out",
            split.toString());
    assertEquals(0, s.code(), s.err());
    Path labeled = split.resolve("labeled.jsonl");
    List<String> poolLines = Files.readAllLines(split.resolve("unlabeled.jsonl"));
    List<String> goldLines = Files.readAllLines(split.resolve("unlabeled-gold.jsonl"));
    for (String line : poolLines) {
      assertFalse(JSON.readTree(line).has("chosen"), "the pool carries no label: " + line);
    }

    // The pool: 300 pairs nobody judged, one that carries a label field (ignored, with a
    // warning), and one that the labeled data already compares (left out, reported).
    List<String> pool = new ArrayList<>(poolLines.subList(0, 300));
    ObjectNode withLabel = (ObjectNode) JSON.readTree(poolLines.get(300));
    withLabel.put("chosen", withLabel.get("response_a").asText());
    pool.add(withLabel.toString());
    JsonNode seedPair = JSON.readTree(Files.readAllLines(labeled).get(0));
    ObjectNode overlap = JSON.createObjectNode();
    overlap.set("prompt", seedPair.get("prompt"));
    overlap.put("response_a", seedPair.get("rejected").asText());
    overlap.put("response_b", seedPair.get("chosen").asText());
    pool.add(overlap.toString());
    Path poolFile = dir.resolve("pool.jsonl");
    Files.write(poolFile, pool);
    Path test = dir.resolve("test.jsonl");
    Files.write(test, Files.readAllLines(split.resolve("test.jsonl")).subList(0, 100));

    Path run = dir.resolve("run");
    String cache = TestEncoders.CACHE.toString();
    CliTest.Result evolve =
        CliTest.run(
            "evolve",
            "--labeled",
            labeled.toString(),
            "--unlabeled",
            poolFile.toString(),
            "--test",
            test.toString(),
            "--encoder",
            "minilm-l6-q",
            "--max-loops",
            "2",
            "--quiet",
            "--cache",
            cache,
            "--out",
            run.toString());
    assertEquals(0, evolve.code(), evolve.err() + evolve.out());
    assertTrue(evolve.out().contains("ignored field 'chosen' in 1 record"), evolve.out());
    assertTrue(evolve.out().contains("left out 1 pool pair that the labeled"), evolve.out());
    assertTrue(evolve.out().contains("data: 184 labeled, 301 unlabeled, 100 test"), evolve.out());
    JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
    assertEquals("final", report.get("final_model").asText());
    JsonNode loops = report.get("loops");
    assertEquals(301, loops.get(0).get("pool_remaining").asInt());
    for (JsonNode loop : loops) {
      assertTrue(loop.get("self_label_precision").isNull(), "no gold labels: " + loop);
      assertTrue(loop.get("test_accuracy").isNumber(), "a test file was given: " + loop);
      if (loop.get("selected").asInt() > 0) {
        double expected = loop.get("expected_precision").asDouble();
        assertTrue(expected > 0.5 && expected < 1, "expected precision " + expected);
        assertFalse(loop.get("diagnostics").has("gold_chosen_longer"), loop.toString());
      }
    }
    // The seed teaches: out of fold, the seed-only RM beats a coin on the seed's own labels.
    assertTrue(loops.get(0).get("validation_accuracy").asDouble() > 0.55, loops.get(0).toString());
    int finalLoop = report.get("final_loop").asInt();

    // ser serve on the run directory, a real process: /score gives the run's final model's rewards.
    JsonNode pair = JSON.readTree(Files.readAllLines(test).get(0));
    Prompt prompt = PairReader.readAll(test, ReadOptions.defaults()).pairs().get(0).prompt();
    double[] direct;
    try (RewardScorer rm = Ser4j.open(run)) {
      direct =
          rm.rewards(
              List.of(
                  new ResponseInput(prompt, pair.get("chosen").asText()),
                  new ResponseInput(prompt, pair.get("rejected").asText())));
    }
    assertArrayEquals(direct, served(run, pair), 1e-5);

    // ser export: the human labels, then the self-labels of the loops up to the kept one.
    Path exported = dir.resolve("export.jsonl");
    CliTest.Result export =
        CliTest.run("export", "--run", run.toString(), "--out", exported.toString());
    assertEquals(0, export.code(), export.err());
    int selfLabels = 0;
    for (int l = 1; l <= finalLoop; l++) {
      selfLabels += loops.get(l).get("selected").asInt();
    }
    List<String> lines = Files.readAllLines(exported);
    assertEquals(184 + selfLabels, lines.size());
    assertEquals(
        184, lines.stream().filter(l -> l.contains("\"source\":\"human\"")).count(), "human");

    // More human labels: people judged the first 40 pool pairs. Count, independently, the
    // self-labels they contradict (pool keys follow the file's order: the planted pairs are last).
    Path more = dir.resolve("more.jsonl");
    Files.write(more, goldLines.subList(0, 40));
    Map<Integer, String> goldChosen = new HashMap<>();
    for (int k = 0; k < 40; k++) {
      goldChosen.put(k, JSON.readTree(goldLines.get(k)).get("chosen").asText());
    }
    int contradicted = 0;
    for (int l = 1; l < loops.size(); l++) {
      for (String line : Files.readAllLines(run.resolve("loop-" + l).resolve("selected.jsonl"))) {
        JsonNode n = JSON.readTree(line);
        String gold = goldChosen.get(n.get("pool_key").asInt());
        if (gold != null && !n.has("second_pool_key")) {
          contradicted += gold.equals(n.get("chosen").asText()) ? 0 : 1;
        }
      }
    }
    byte[] runJson = Files.readAllBytes(run.resolve("run.json"));

    // A malformed file changes nothing: the error names file and line, run.json stays.
    Path bad = dir.resolve("bad.jsonl");
    Files.write(bad, List.of(goldLines.get(0), "{\"prompt\": \"x\", \"chosen\": 3"));
    CliTest.Result refused =
        CliTest.run("evolve", "--resume", run.toString(), "--add-labels", bad.toString());
    assertNotEquals(0, refused.code());
    assertTrue(refused.err().contains(bad + ":2"), refused.err());
    assertArrayEquals(runJson, Files.readAllBytes(run.resolve("run.json")));

    byte[] before = Files.readAllBytes(run.resolve("final/model.safetensors"));
    CliTest.Result resumed =
        CliTest.run(
            "evolve",
            "--resume",
            run.toString(),
            "--add-labels",
            more.toString(),
            "--quiet",
            "--cache",
            cache);
    assertEquals(0, resumed.code(), resumed.err() + resumed.out());
    assertTrue(resumed.out().contains("data: 224 labeled"), resumed.out());
    JsonNode after = JSON.readTree(run.resolve("report.json").toFile());
    JsonNode added = after.get("loops").get(loops.size());
    assertEquals("labels-added", added.get("status").asText());
    assertEquals(40, added.get("labels_added").asInt());
    assertEquals(contradicted, added.get("self_labels_contradicted").asInt());
    assertEquals(224, added.get("train_pairs").asInt() - added.get("selected_total").asInt());
    assertTrue(after.get("finished").asBoolean());
    assertTrue(after.get("final_loop").asInt() >= loops.size(), "kept from the new phase");
    assertFalse(
        java.util.Arrays.equals(before, Files.readAllBytes(run.resolve("final/model.safetensors"))),
        "a new final/");
    JsonNode runSettings = JSON.readTree(run.resolve("run.json").toFile());
    assertEquals(1, runSettings.get("data").get("added_labels").size());

    // The labels are in the run now: a plain resume finds it finished, and export carries them.
    CliTest.Result again = CliTest.run("evolve", "--resume", run.toString(), "--quiet");
    assertEquals(0, again.code(), again.err());
    assertEquals(
        after.get("loops").size(),
        JSON.readTree(run.resolve("report.json").toFile()).get("loops").size());
    CliTest.Result export2 =
        CliTest.run("export", "--run", run.toString(), "--out", exported.toString());
    assertEquals(0, export2.code(), export2.err());
    assertEquals(
        224,
        Files.readAllLines(exported).stream()
            .filter(l -> l.contains("\"source\":\"human\""))
            .count());
  }

  /**
   * The experiment hides a labeled file's labels; your own data never had them. On one split and
   * seed the two give the same loops and the same final model: nothing in the loop reads a label
   * the experiment hides.
   */
  @Test
  void ownDataIsTheExperimentWithoutItsLabels() throws Exception {
    String hh = SharedData.require(SharedData.HH_RLHF).toString();
    String cache = TestEncoders.CACHE.toString();
    String[] common = {
      "--encoder", "minilm-l6-q", "--max-loops", "2", "--quiet", "--cache", cache, "--out"
    };
    Path sim = dir.resolve("sim");
    CliTest.Result a =
        CliTest.run(
            concat(
                new String[] {"evolve", "--train", hh, "--skip-bad", "--labeled-fraction", "0.1"},
                common,
                sim.toString()));
    assertEquals(0, a.code(), a.err());
    Path split = dir.resolve("split");
    assertEquals(
        0,
        CliTest.run(
                "data",
                "split",
                "--train",
                hh,
                "--skip-bad",
                "--labeled-fraction",
                "0.1",
                "--out",
                split.toString())
            .code());
    Path own = dir.resolve("own");
    CliTest.Result b =
        CliTest.run(
            concat(
                new String[] {
                  "evolve",
                  "--labeled",
                  split.resolve("labeled.jsonl").toString(),
                  "--unlabeled",
                  split.resolve("unlabeled.jsonl").toString(),
                  "--test",
                  split.resolve("test.jsonl").toString()
                },
                common,
                own.toString()));
    assertEquals(0, b.code(), b.err());
    JsonNode x = JSON.readTree(sim.resolve("report.json").toFile()).get("loops");
    JsonNode y = JSON.readTree(own.resolve("report.json").toFile()).get("loops");
    assertEquals(x.size(), y.size());
    assertTrue(x.size() >= 2 && x.get(1).get("selected").asInt() > 0, "a loop self-labeled");
    for (int i = 0; i < x.size(); i++) {
      for (String field :
          List.of("selected", "train_pairs", "validation_accuracy", "test_accuracy")) {
        assertEquals(x.get(i).get(field), y.get(i).get(field), "loop " + i + " " + field);
      }
      assertTrue(x.get(i).get("self_label_precision").isNumber() || i == 0);
      assertTrue(y.get(i).get("self_label_precision").isNull());
    }
    assertArrayEquals(
        Files.readAllBytes(sim.resolve("final/model.safetensors")),
        Files.readAllBytes(own.resolve("final/model.safetensors")));
  }

  private static String[] concat(String[] a, String[] b, String last) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    all.add(last);
    return all.toArray(new String[0]);
  }

  @Test
  void theJavaApiRunsOnPairsInMemory() throws Exception {
    Path split = dir.resolve("split");
    assertEquals(
        0,
        CliTest.run(
                "data",
                "split",
                "--train",
                SharedData.require(SharedData.HH_RLHF).toString(),
                "--test-fraction",
                "0.2",
                "--skip-bad",
                "--labeled-fraction",
                "0.1",
                "--out",
                split.toString())
            .code());
    var labeled = PairReader.readAll(split.resolve("labeled.jsonl"), ReadOptions.defaults());
    var pool =
        org.ser4j.data.format.UnlabeledReader.read(split.resolve("unlabeled.jsonl"))
            .pairs()
            .subList(0, 200);
    Path run = dir.resolve("api-run");
    var result =
        Ser4j.labeled(labeled.pairs())
            .unlabeled(pool)
            .encoder("minilm-l6-q")
            .cache(TestEncoders.CACHE)
            .maxLoops(1)
            .out(run)
            .evolve();
    assertTrue(result.seedOnly().testAccuracy() == null, "no test set given");
    assertTrue(Files.isRegularFile(run.resolve("inputs/labeled.jsonl")));
    assertTrue(Files.isDirectory(run.resolve("final")));
    // run.json names the written inputs, so export opens the run.
    Path exported = dir.resolve("e.jsonl");
    CliTest.Result export =
        CliTest.run("export", "--run", run.toString(), "--out", exported.toString());
    assertEquals(0, export.code(), export.err());
    assertTrue(Files.readAllLines(exported).size() >= labeled.pairs().size());
  }

  /** Starts `ser serve --model RUN --port 0` as its own process and scores one pair over HTTP. */
  private static double[] served(Path run, JsonNode pair) throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dai.djl.offline=true",
                SerCli.class.getName(),
                "serve",
                "--model",
                run.toString(),
                "--port",
                "0")
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      Pattern serving = Pattern.compile("serving .* on http://127\\.0\\.0\\.1:(\\d+)");
      int port = -1;
      StringBuilder seen = new StringBuilder();
      for (String line; port < 0 && (line = out.readLine()) != null; ) {
        seen.append(line).append('\n');
        Matcher m = serving.matcher(line);
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
        }
      }
      assertTrue(port > 0, "ser serve did not start:\n" + seen);
      ObjectNode body = JSON.createObjectNode();
      ArrayNode pairs = body.putArray("pairs");
      for (String side : new String[] {"chosen", "rejected"}) {
        pairs
            .addObject()
            .put("response", pair.get(side).asText())
            .set("prompt", pair.get("prompt"));
      }
      HttpResponse<String> resp =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/score"))
                      .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, resp.statusCode(), resp.body());
      JsonNode rewards = JSON.readTree(resp.body()).get("rewards");
      return new double[] {rewards.get(0).asDouble(), rewards.get(1).asDouble()};
    } finally {
      p.destroy(); // SIGTERM: the server's shutdown hook stops it
      p.waitFor();
    }
  }
}
