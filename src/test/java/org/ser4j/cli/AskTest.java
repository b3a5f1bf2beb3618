package org.ser4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.testing.SharedData;
import org.ser4j.testing.TestEncoders;

/**
 * `ser ask` on a run of your own data: the questions are pool pairs nobody has labeled, ranked as
 * the strategy says; answered (here from the hidden labels), they come back with --add-labels.
 */
class AskTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void askAnswerAndAddTheLabels() throws Exception {
    Path split = dir.resolve("split");
    assertEquals(
        0,
        CliTest.run(
                "data",
                "split",
                "--train",
                SharedData.require(SharedData.HH_RLHF).toString(),
                "--skip-bad",
                "--labeled-fraction",
                "0.1",
                "--out",
                split.toString())
            .code());
    Path pool = dir.resolve("pool.jsonl");
    Files.write(pool, Files.readAllLines(split.resolve("unlabeled.jsonl")).subList(0, 400));
    Map<String, String> goldChosen = new HashMap<>();
    for (String l : Files.readAllLines(split.resolve("unlabeled-gold.jsonl"))) {
      JsonNode n = JSON.readTree(l);
      goldChosen.put(n.get("id").asText(), n.get("chosen").asText());
    }
    Path run = dir.resolve("run");
    String cache = TestEncoders.CACHE.toString();
    CliTest.Result evolve =
        CliTest.run(
            "evolve",
            "--labeled",
            split.resolve("labeled.jsonl").toString(),
            "--unlabeled",
            pool.toString(),
            "--encoder",
            "minilm-l6-q",
            "--max-loops",
            "1",
            "--min-new",
            "1",
            "--quiet",
            "--cache",
            cache,
            "--out",
            run.toString());
    assertEquals(0, evolve.code(), evolve.err());
    Set<Integer> selfLabeled = new HashSet<>();
    for (String l : Files.readAllLines(run.resolve("loop-1/selected.jsonl"))) {
      selfLabeled.add(JSON.readTree(l).get("pool_key").asInt());
    }
    assertFalse(selfLabeled.isEmpty(), "the RM self-labeled some pairs");
    List<String> poolIds = new ArrayList<>();
    for (String l : Files.readAllLines(pool)) {
      poolIds.add(JSON.readTree(l).get("id").asText());
    }

    for (String strategy : List.of("fisher", "uncertainty", "diverse", "ensemble", "random")) {
      Path questions = dir.resolve(strategy + ".jsonl");
      CliTest.Result ask =
          CliTest.run(
              "ask",
              "--run",
              run.toString(),
              "--strategy",
              strategy,
              "-n",
              "12",
              "--cache",
              cache,
              "--out",
              questions.toString());
      assertEquals(0, ask.code(), ask.err());
      List<JsonNode> q = new ArrayList<>();
      for (String l : Files.readAllLines(questions)) {
        q.add(JSON.readTree(l));
      }
      assertEquals(12, q.size(), strategy);
      assertEquals(12, q.stream().map(n -> n.get("id").asText()).distinct().count(), "no repeat");
      for (JsonNode n : q) {
        int key = poolIds.indexOf(n.get("id").asText());
        assertTrue(key >= 0 && !selfLabeled.contains(key), "never a self-labeled pair: " + n);
        assertTrue(n.get("preferred").isNull(), "left for the person");
      }
      if (strategy.equals("uncertainty")) {
        for (int i = 1; i < q.size(); i++) {
          assertTrue(
              Math.abs(q.get(i - 1).get("p_a").asDouble() - 0.5)
                  <= Math.abs(q.get(i).get("p_a").asDouble() - 0.5),
              "nearest 0.5 first");
        }
      }
    }

    // From a model and a pool file (no run): every pool pair may be asked, the labels held count.
    Path fromModel = dir.resolve("from-model.jsonl");
    CliTest.Result m =
        CliTest.run(
            "ask",
            "--model",
            run.resolve("final").toString(),
            "--unlabeled",
            pool.toString(),
            "--labeled",
            split.resolve("labeled.jsonl").toString(),
            "-n",
            "5",
            "--strategy",
            "fisher",
            "--cache",
            cache,
            "--out",
            fromModel.toString());
    assertEquals(0, m.code(), m.err());
    assertTrue(m.out().contains("of 400 candidate pairs"), m.out());
    List<String> modelQuestions = Files.readAllLines(fromModel);
    assertEquals(5, modelQuestions.size());
    for (String l : modelQuestions) {
      assertTrue(poolIds.contains(JSON.readTree(l).get("id").asText()));
    }

    // A person answers the fisher questions (here: the hidden labels), and the run takes them.
    List<String> answered = new ArrayList<>();
    for (String l : Files.readAllLines(dir.resolve("fisher.jsonl"))) {
      ObjectNode n = (ObjectNode) JSON.readTree(l);
      String chosen = goldChosen.get(n.get("id").asText());
      n.put("preferred", chosen.equals(n.get("response_a").asText()) ? "a" : "b");
      answered.add(n.toString());
    }
    answered.add(
        answered
            .get(0)
            .replace("\"preferred\":\"a\"", "\"preferred\":\"tie\"")
            .replace("\"preferred\":\"b\"", "\"preferred\":\"tie\"")); // a tie teaches nothing
    Path answers = dir.resolve("answers.jsonl");
    Files.write(answers, answered);
    CliTest.Result added =
        CliTest.run(
            "evolve", "--resume", run.toString(), "--add-labels", answers.toString(), "--quiet");
    assertEquals(0, added.code(), added.err() + added.out());
    JsonNode report = JSON.readTree(run.resolve("report.json").toFile());
    JsonNode phase = null;
    for (JsonNode loop : report.get("loops")) {
      if (loop.get("status").asText().equals("labels-added")) {
        phase = loop;
      }
    }
    assertTrue(phase != null, report.toString());
    assertEquals(12, phase.get("labels_added").asInt(), "twelve answers, the tie left out");
    assertEquals(0, phase.get("self_labels_contradicted").asInt(), "asked pairs were unlabeled");
    assertEquals(
        400 - 12 - selfLabeled.size(),
        phase.get("pool_remaining").asInt(),
        "the answered pairs left the pool");
  }
}
