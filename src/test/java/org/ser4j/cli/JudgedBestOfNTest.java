package org.ser4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.testing.SharedData;
import org.ser4j.testing.TestEncoders;

/**
 * Best-of-n with judged candidates on the shared AlpacaEval file, end to end: `ser data
 * candidates`, an RM trained on other prompts, the best-of-n curve, the length-bias report and a
 * length-corrected RM.
 */
class JudgedBestOfNTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static Path data;
  static Path model;
  static final String[] ENCODER = {
    "--encoder", "minilm-l6-q", "--encoder-input", "response", "--max-length", "128"
  };

  static String[] with(String[] args, String... more) {
    String[] out = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, out, args.length, more.length);
    return out;
  }

  /**
   * ser experiment on the training pairs with a small active schedule (20 random labels, one round
   * of 20, two seeds, no full-label RM), writing to {@code out}, plus {@code more}.
   */
  static String[] activeExperiment(Path out, String... more) {
    String[] schedule = {
      "experiment",
      "--train",
      data.resolve("train.jsonl").toString(),
      "--ask-start",
      "20",
      "--ask-size",
      "20",
      "--ask-rounds",
      "1",
      "--seeds",
      "2",
      "--skip-full",
      "--quiet",
      "--cache",
      TestEncoders.CACHE.toString(),
      "--out",
      out.toString()
    };
    return with(with(schedule, more), ENCODER);
  }

  @BeforeAll
  static void candidatesAndModel() throws Exception {
    String alpaca = SharedData.require(SharedData.ALPACAEVAL).toString();
    data = dir.resolve("alpaca");
    CliTest.Result r =
        CliTest.run(
            "data",
            "candidates",
            "--input",
            alpaca,
            "--test-fraction",
            "0.03",
            "--train-pairs",
            "500",
            "--out",
            data.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("reference: gpt4_1106_preview"), r.out());
    model = dir.resolve("rm");
    CliTest.Result train =
        CliTest.run(
            with(
                new String[] {
                  "train",
                  "--train",
                  data.resolve("train.jsonl").toString(),
                  "--quiet",
                  "--cache",
                  TestEncoders.CACHE.toString(),
                  "--out",
                  model.toString()
                },
                ENCODER));
    assertEquals(0, train.code(), train.err());
  }

  @Test
  void candidateSetsAreJudgedHeldOutPrompts() throws Exception {
    List<String> lines = Files.readAllLines(data.resolve("candidates.jsonl"));
    assertTrue(lines.size() >= 10, "some 3% of 585 prompts");
    Set<String> heldOut = new HashSet<>();
    int candidates = 0;
    double wins = 0;
    for (String l : lines) {
      JsonNode c = JSON.readTree(l);
      heldOut.add(c.get("prompt").asText());
      assertEquals(c.get("responses").size(), c.get("scores").size());
      assertEquals(c.get("responses").size(), c.get("sources").size());
      Set<String> systems = new HashSet<>();
      for (JsonNode s : c.get("sources")) {
        assertFalse(s.asText().equals("gpt4_1106_preview"), "the reference is not a candidate");
        assertTrue(systems.add(s.asText()), "each system once per prompt");
      }
      for (JsonNode s : c.get("scores")) {
        assertTrue(s.asDouble() == 0 || s.asDouble() == 1);
        wins += s.asDouble();
        candidates++;
      }
    }
    double winRate = wins / candidates;
    assertTrue(winRate > 0.02 && winRate < 0.3, "systems seldom beat GPT-4 Turbo: " + winRate);
    for (String l : Files.readAllLines(data.resolve("train.jsonl"))) {
      assertFalse(heldOut.contains(JSON.readTree(l).get("prompt").asText()), "prompt leak");
    }
    int testPairs = 0;
    for (String l : Files.readAllLines(data.resolve("test.jsonl"))) {
      assertTrue(heldOut.contains(JSON.readTree(l).get("prompt").asText()), "held-out pairs");
      testPairs++;
    }
    assertEquals(candidates, testPairs, "one pair per candidate: each against the reference");
  }

  @Test
  void curveLengthBiasAndLengthCorrection() throws Exception {
    String cache = TestEncoders.CACHE.toString();
    String candidates = data.resolve("candidates.jsonl").toString();
    Path report = dir.resolve("report");
    CliTest.Result r =
        CliTest.run(
            "best-of-n",
            "--model",
            model.toString(),
            "--input",
            candidates,
            "--n",
            "1,4,all",
            "--out",
            dir.resolve("picks.jsonl").toString(),
            "--report",
            report.toString(),
            "--quiet",
            "--cache",
            cache);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("RM - longest"), r.out());
    JsonNode json = JSON.readTree(report.resolve("best-of-n.json").toFile());
    JsonNode curve = json.get("curve");
    assertEquals(3, curve.size());
    JsonNode one = curve.get(0);
    assertEquals(
        one.get("random").get("mean").asDouble(), one.get("rm").get("mean").asDouble(), 1e-9);
    JsonNode all = curve.get(2);
    assertEquals("all", all.get("n").asText());
    double rm = all.get("rm").get("mean").asDouble();
    double random = all.get("random").get("mean").asDouble();
    assertTrue(rm > random + 0.1, "a trained RM picks better than chance: " + all);
    assertTrue(all.get("oracle").get("mean").asDouble() >= rm);
    assertTrue(all.get("rm").get("low").asDouble() <= rm);
    ModelCommandsTest.assertPng(report.resolve("best-of-n.png"));
    // report.html in a real browser: the curve's table as best-of-n.json has it, the plot renders.
    org.ser4j.testing.Browser.Shown page =
        org.ser4j.testing.Browser.show(report.resolve("report.html"));
    assertEquals(curve.size(), page.tables().get("curve").size());
    assertEquals(curve.get(2).get("n").asText(), page.tables().get("curve").get(2).get(0));
    assertEquals(1, page.imageWidths().size());
    assertTrue(page.imageWidths().get(0) > 0, "the plot renders");
    double lengthRatio =
        all.get("rm_pick_length").asDouble() / all.get("random_pick_length").asDouble();
    for (String l : Files.readAllLines(dir.resolve("picks.jsonl"))) {
      JsonNode p = JSON.readTree(l);
      assertTrue(p.has("best_score"), l);
    }

    // The length-bias report of ser eval, then a length-corrected copy of the model.
    Path pairs = data.resolve("test.jsonl");
    JsonNode before = eval(model, pairs);
    JsonNode bias = before.get("length_bias");
    assertTrue(bias.get("pearson_reward_length").asDouble() > 0.1, "AlpacaEval RMs like length");
    assertTrue(
        bias.get("accuracy_chosen_longer").asDouble()
            > bias.get("accuracy_chosen_shorter").asDouble(),
        bias.toString());
    assertEquals(
        before.get("pairs").asInt(),
        bias.get("pairs_chosen_longer").asInt() + bias.get("pairs_chosen_shorter").asInt(),
        1 + before.get("pairs").asInt() / 50);

    Path debiased = dir.resolve("rm-debiased");
    copy(model, debiased);
    CliTest.Result s =
        CliTest.run(
            "scale",
            "--model",
            debiased.toString(),
            "--method",
            "none",
            "--length-debias",
            "--reference",
            data.resolve("train.jsonl").toString(),
            "--quiet",
            "--cache",
            cache);
    assertEquals(0, s.code(), s.err());
    JsonNode scale = JSON.readTree(debiased.resolve("config.json").toFile()).get("reward_scale");
    assertTrue(scale.get("length_slope").asDouble() > 0, scale.toString());
    JsonNode after = eval(debiased, pairs).get("length_bias");
    assertTrue(after.get("length_correction").asBoolean());
    assertTrue(
        Math.abs(after.get("pearson_reward_length").asDouble())
            < bias.get("pearson_reward_length").asDouble() / 2,
        after + " vs " + bias);
    CliTest.Result d =
        CliTest.run(
            "best-of-n",
            "--model",
            debiased.toString(),
            "--input",
            candidates,
            "--n",
            "1,4,all",
            "--out",
            dir.resolve("picks2.jsonl").toString(),
            "--report",
            report.toString(),
            "--quiet",
            "--cache",
            cache);
    assertEquals(0, d.code(), d.err());
    JsonNode j2 = JSON.readTree(report.resolve("best-of-n.json").toFile());
    assertTrue(j2.get("length_correction").asBoolean());
    JsonNode all2 = j2.get("curve").get(2);
    JsonNode plain = j2.get("curve_without_length_correction").get(2);
    assertEquals(rm, plain.get("rm").get("mean").asDouble(), 1e-9, "the same RM, uncorrected");
    assertTrue(
        all2.get("rm_pick_length").asDouble() / all2.get("random_pick_length").asDouble()
            < lengthRatio,
        "corrected picks are shorter");
  }

  @Test
  void activeExperimentReportsEachMethodsBestOfNAtEachBudget() throws Exception {
    Path exp = dir.resolve("active");
    CliTest.Result r =
        CliTest.run(
            activeExperiment(
                exp,
                "--acquisition",
                "random,uncertainty",
                "--max-loops",
                "1",
                "--best-of-n",
                data.resolve("candidates.jsonl").toString(),
                "--best-of-n-at",
                "4,all"));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("best-of-n win rate"), r.out());
    ModelCommandsTest.assertPng(exp.resolve("label-efficiency-best-of-n.png"));
    JsonNode json = JSON.readTree(exp.resolve("experiment.json").toFile());
    assertEquals("4", json.get("best_of_n").get("n").asText(), "the first n of --best-of-n-at");
    JsonNode rows = json.get("by_budget");
    assertEquals(2 * 2 * 2, rows.size(), "2 budgets x 2 strategies x (alone, with SER)");
    for (JsonNode row : rows) {
      JsonNode win = row.get("best_of_n");
      assertEquals(2, win.get("runs").size(), "one per seed");
      for (JsonNode w : win.get("runs")) {
        assertTrue(w.asDouble() >= 0 && w.asDouble() <= 1, "a mean 0/1 gold score: " + w);
      }
      if (row.get("strategy").asText().equals("random")) {
        continue;
      }
      // Paired by seed against random labels at the same budget and with the same SER setting.
      JsonNode base = null;
      for (JsonNode other : rows) {
        if (other.get("strategy").asText().equals("random")
            && other.get("labels").asInt() == row.get("labels").asInt()
            && other.get("ser").asBoolean() == row.get("ser").asBoolean()) {
          base = other;
        }
      }
      for (int k = 0; k < 2; k++) {
        assertEquals(
            win.get("runs").get(k).asDouble() - base.get("best_of_n").get("runs").get(k).asDouble(),
            row.get("best_of_n_minus_random").get("runs").get(k).asDouble(),
            1e-12);
      }
    }
    // At the start every method has the same 20 random labels: the same RM, the same picks.
    for (JsonNode row : rows) {
      if (row.get("labels").asInt() == 20 && !row.get("strategy").asText().equals("random")) {
        assertEquals(0.0, row.get("best_of_n_minus_random").get("mean").asDouble(), 1e-12);
      }
    }
  }

  @Test
  void experimentReportsEachRmsBestOfNAndMatchesTheCommand() throws Exception {
    String cache = TestEncoders.CACHE.toString();
    String candidates = data.resolve("candidates.jsonl").toString();
    Path exp = dir.resolve("experiment");
    CliTest.Result r =
        CliTest.run(
            with(
                new String[] {
                  "experiment",
                  "--train",
                  data.resolve("train.jsonl").toString(),
                  "--labeled-fraction",
                  "0.1",
                  "--seeds",
                  "2",
                  "--max-loops",
                  "2",
                  "--best-of-n",
                  candidates,
                  "--best-of-n-at",
                  "4,all",
                  "--quiet",
                  "--cache",
                  cache,
                  "--out",
                  exp.toString()
                },
                ENCODER));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Best-of-n win rate"), r.out());
    ModelCommandsTest.assertPng(exp.resolve("experiment-best-of-n.png"));
    ModelCommandsTest.assertPng(exp.resolve("experiment-gains.png"));
    JsonNode json = JSON.readTree(exp.resolve("experiment.json").toFile());
    // report.html in a real browser: one row per fraction with experiment.json's means; every
    // plot renders.
    org.ser4j.testing.Browser.Shown page =
        org.ser4j.testing.Browser.show(exp.resolve("report.html"));
    java.util.List<String> row = page.tables().get("fractions").get(0);
    assertEquals(
        org.ser4j.eval.HtmlPage.cell(json.get("by_fraction").get(0).get("ser").get("mean")),
        row.get(2));
    assertTrue(page.imageWidths().size() >= 3, "gains, loops and best-of-n plots");
    assertTrue(page.imageWidths().stream().allMatch(w -> w > 0), page.imageWidths().toString());
    // The paired accuracy gain's interval, against t(0.975, 1 df) = 12.7062 from a table.
    JsonNode acc = json.get("by_fraction").get(0).get("ser_minus_seed_only");
    double g0 = acc.get("runs").get(0).asDouble();
    double g1 = acc.get("runs").get(1).asDouble();
    double half = 12.7062047 * Math.abs(g0 - g1) / Math.sqrt(2) / Math.sqrt(2);
    assertEquals((g0 + g1) / 2 - half, acc.get("ci95_low").asDouble(), 1e-6);
    assertEquals((g0 + g1) / 2 + half, acc.get("ci95_high").asDouble(), 1e-6);
    // The length summary, recomputed from the runs' loops: loop 0's shorter-chosen accuracy and
    // each run's share of self-labels choosing the longer answer (weighted by each loop's
    // selections), averaged over the runs that selected any.
    JsonNode length = json.get("by_fraction").get(0).get("length");
    double shorter = 0;
    java.util.List<Double> shares = new java.util.ArrayList<>();
    JsonNode runs = json.get("by_fraction").get(0).get("runs");
    for (JsonNode run : runs) {
      for (JsonNode split : run.get("loops").get(0).get("style_splits")) {
        if (split.get("style").asText().equals("length")) {
          shorter += split.get("accuracy_chosen_less").asDouble() / runs.size();
        }
      }
      double selected = 0;
      double longer = 0;
      for (JsonNode loop : run.get("loops")) {
        int n = loop.get("selected").asInt();
        if (n > 0) {
          selected += n;
          longer += n * loop.get("diagnostics").get("selected_chosen_longer").asDouble();
        }
      }
      if (selected > 0) {
        shares.add(longer / selected);
      }
    }
    assertEquals(shorter, length.get("seed_only_accuracy_chosen_shorter").asDouble(), 1e-12);
    if (!shares.isEmpty()) {
      assertEquals(
          shares.stream().mapToDouble(Double::doubleValue).average().getAsDouble(),
          length.get("self_labels_chosen_longer").asDouble(),
          1e-12);
    }
    assertTrue(Files.readString(exp.resolve("experiment.md")).contains("Length at labeled"));
    assertEquals(candidates, json.get("best_of_n").get("file").asText());
    JsonNode byN = json.get("by_fraction").get(0).get("best_of_n").get("by_n");
    assertEquals(2, byN.size());
    JsonNode all = byN.get(1);
    assertEquals("all", all.get("n").asText());
    for (String rm : new String[] {"seed_only", "ser", "ser_last", "full"}) {
      assertEquals(2, all.get(rm).get("runs").size(), rm);
    }
    JsonNode gain = all.get("ser_last_minus_seed_only");
    assertTrue(gain.get("ci95_low").asDouble() <= gain.get("mean").asDouble());
    for (int k = 0; k < 2; k++) {
      assertEquals(
          all.get("ser_last").get("runs").get(k).asDouble()
              - all.get("seed_only").get("runs").get(k).asDouble(),
          gain.get("runs").get(k).asDouble(),
          1e-12,
          "paired by seed");
    }
    // Independent: `ser best-of-n` on the first cell's Loop-0 model gives the seed-only number.
    Path loop0 =
        exp.resolve("runs").resolve("fraction-0.1-seed-42").resolve("loop-0").resolve("model");
    Path report = dir.resolve("loop0-report");
    CliTest.Result b =
        CliTest.run(
            "best-of-n",
            "--model",
            loop0.toString(),
            "--input",
            candidates,
            "--n",
            "4,all",
            "--out",
            dir.resolve("loop0-picks.jsonl").toString(),
            "--report",
            report.toString(),
            "--quiet",
            "--cache",
            cache);
    assertEquals(0, b.code(), b.err());
    JsonNode curve = JSON.readTree(report.resolve("best-of-n.json").toFile()).get("curve");
    assertEquals(
        curve.get(1).get("rm").get("mean").asDouble(),
        all.get("seed_only").get("runs").get(0).asDouble(),
        1e-12);
  }

  private static JsonNode eval(Path m, Path pairs) throws Exception {
    Path out = dir.resolve("eval-" + m.getFileName());
    CliTest.Result e =
        CliTest.run(
            "eval",
            "--model",
            m.toString(),
            "--test",
            pairs.toString(),
            "--skip-bad",
            "--quiet",
            "--cache",
            TestEncoders.CACHE.toString(),
            "--out",
            out.toString());
    assertEquals(0, e.code(), e.err());
    assertTrue(e.out().contains("length bias"), e.out());
    return JSON.readTree(out.resolve("eval.json").toFile());
  }

  private static void copy(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
  }

  /**
   * Several samples: every seed runs on each, and each gain is paired within its own sample and
   * seed. At the start every method holds the same random labels of the same sample, so a gain
   * paired across samples would not be zero there.
   */
  @Test
  void activeExperimentPoolsSamplesPairedWithinEach() throws Exception {
    Path other = dir.resolve("alpaca7");
    CliTest.Result c =
        CliTest.run(
            "data",
            "candidates",
            "--input",
            SharedData.require(SharedData.ALPACAEVAL).toString(),
            "--test-fraction",
            "0.03",
            "--train-pairs",
            "500",
            "--seed",
            "7",
            "--out",
            other.toString());
    assertEquals(0, c.code(), c.err());
    Path exp = dir.resolve("active-samples");
    String[] args =
        activeExperiment(
            exp,
            "--samples",
            other.resolve("train.jsonl").toString(),
            "--acquisition",
            "uncertainty",
            "--no-ask-ser");
    CliTest.Result r = CliTest.run(args);
    assertEquals(0, r.code(), r.err());
    JsonNode json = JSON.readTree(exp.resolve("experiment.json").toFile());
    assertEquals(2, json.get("samples").size());
    assertTrue(json.get("samples").get(1).asText().contains("alpaca7"));
    assertTrue(Files.readString(exp.resolve("experiment.md")).contains("2 samples"));
    JsonNode rows = json.get("by_budget");
    assertEquals(2 * 2, rows.size(), "2 budgets x (random, uncertainty), without SER");
    JsonNode randomStart = null;
    for (JsonNode row : rows) {
      assertEquals(4, row.get("accuracy").get("runs").size(), "2 samples x 2 seeds");
      if (row.get("strategy").asText().equals("random") && row.get("labels").asInt() == 20) {
        randomStart = row.get("accuracy").get("runs");
      }
    }
    JsonNode start = randomStart;
    assertTrue(
        start.get(0).asDouble() != start.get(2).asDouble()
            || start.get(1).asDouble() != start.get(3).asDouble(),
        "the second sample is other data: " + start);
    for (JsonNode row : rows) {
      if (row.get("strategy").asText().equals("uncertainty") && row.get("labels").asInt() == 20) {
        for (JsonNode g : row.get("minus_random").get("runs")) {
          assertEquals(0.0, g.asDouble(), 1e-12, "the same start within a sample and seed");
        }
      }
    }
    String[] plain = args.clone();
    List<String> list = java.util.Arrays.asList(plain);
    plain[list.indexOf("--out") + 1] = dir.resolve("not-active").toString();
    int at = list.indexOf("--acquisition");
    plain[at] = "--labeled-fraction";
    plain[at + 1] = "0.1";
    CliTest.Result refused = CliTest.run(plain);
    assertEquals(1, refused.code(), "an error, before any work");
    assertTrue(refused.err().contains("--samples goes with --acquisition"), refused.err());
  }
}
