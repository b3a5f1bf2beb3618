package org.ser4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;
import org.ser4j.data.SourceRef;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.split.SerDataset;
import org.ser4j.ser.SerConfig;
import org.ser4j.ser.ask.Asker;
import org.ser4j.testing.TestEncoders;
import org.ser4j.util.Json;

/**
 * The active experiment's parts alone: the simulated annotator (what a strategy may see, what an
 * answer adds), the schedule, and the report's pairing.
 */
class ActiveExperimentTest {
  private static SerDataset all(boolean flipUnasked, List<Integer> asked) {
    List<PreferencePair> pairs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String good = "a helpful answer number " + i;
      String bad = "unhelpful " + (i * 7 % 13);
      boolean flip = flipUnasked && !asked.contains(i);
      pairs.add(
          new PreferencePair(
              "p" + i,
              Prompt.of("question " + i),
              flip ? bad : good,
              flip ? good : bad,
              new SourceRef("t", i + 1)));
    }
    return new SerDataset(pairs, List.of(), null, pairs.subList(0, 2), null);
  }

  @Test
  void reversingTheGoldOfUnaskedPairsChangesNothingAStrategySees() {
    List<Integer> asked = List.of(3, 17, 5, 30);
    SerDataset a = SimulatedAnnotator.datasetOf(all(false, asked), asked);
    SerDataset b = SimulatedAnnotator.datasetOf(all(true, asked), asked);
    assertEquals(a.labeled(), b.labeled(), "the asked pairs, in the order asked");
    assertEquals(
        List.of("p3", "p17", "p5", "p30"), a.labeled().stream().map(PreferencePair::id).toList());
    assertEquals(36, a.pool().size());
    for (int k = 0; k < a.pool().size(); k++) {
      UnlabeledPair x = a.pool().get(k);
      UnlabeledPair y = b.pool().get(k);
      assertEquals(x.id(), y.id());
      assertEquals(x.first(), y.first(), "answers ordered by text, not by label");
      assertEquals(x.second(), y.second());
      assertNotEquals(a.gold().firstPreferred(x), b.gold().firstPreferred(y), "only gold differs");
    }
  }

  @Test
  void everyStrategyStartsFromTheSameSeededLabels() {
    List<Integer> s1 = new ActiveSchedule(30, 10, 1).startLabels(500, 42);
    assertEquals(s1, new ActiveSchedule(30, 10, 1).startLabels(500, 42));
    assertNotEquals(s1, new ActiveSchedule(30, 10, 1).startLabels(500, 43));
    assertEquals(30, s1.stream().distinct().count());
  }

  @Test
  void theAnnotatorAnswersWithTheGoldOfTheAskedPairsOnly() {
    SerDataset all = all(false, List.of());
    SimulatedAnnotator annotator = new SimulatedAnnotator(all, List.of(3, 17));
    SerDataset round = annotator.dataset();
    assertEquals(38, round.pool().size());
    UnlabeledPair a = round.pool().get(0); // training pair 0
    UnlabeledPair b = round.pool().get(4); // training pair 5 (3 is known)
    annotator.answer(List.of(new Asker.Question(1, a, 0.5, 0), new Asker.Question(2, b, 0.5, 0)));
    assertEquals(4, annotator.labels());
    SerDataset next = annotator.dataset();
    assertEquals(
        List.of("p3", "p17", "p0", "p5"),
        next.labeled().stream().map(PreferencePair::id).toList(),
        "the asked pairs join in the order asked");
    assertEquals(all.labeled().get(5), next.labeled().get(3), "with their gold label");
    assertEquals(36, next.pool().size());
    assertTrue(next.pool().stream().noneMatch(p -> p.id().equals("p0") || p.id().equals("p5")));
  }

  @Test
  void theScheduleMeasuresAtEveryRound() {
    assertEquals(List.of(30, 50, 70, 90), new ActiveSchedule(30, 20, 3).budgets());
    assertThrows(IllegalArgumentException.class, () -> new ActiveSchedule(1, 20, 3));
  }

  @Test
  void theReportPairsEachGainWithinItsSampleAndSeed(@TempDir Path out) throws Exception {
    ActiveExperiment.Settings settings =
        new ActiveExperiment.Settings(
            List.of("typical"),
            new ActiveSchedule(10, 10, 1),
            1,
            2,
            SerConfig.defaults(),
            TestEncoders.defaults(),
            false,
            false,
            List.of("a", "b"));
    List<ActiveExperiment.Point> points = new ArrayList<>();
    double[][] random = {{0.60, 0.70}, {0.50, 0.65}}; // [sample][seed], 10 labels
    double[][] gain = {{0.02, 0.04}, {0.06, 0.08}};
    for (int j = 0; j < 2; j++) {
      for (int k = 0; k < 2; k++) {
        for (int labels : new int[] {10, 20}) {
          double r = random[j][k] + (labels - 10) / 100.0;
          points.add(point(j, "random", 1 + k, labels, r));
          points.add(point(j, "typical", 1 + k, labels, r + (labels == 10 ? 0 : gain[j][k])));
        }
      }
    }
    ActiveReport.write(out, settings, points, null, new PrintWriter(Writer.nullWriter()));
    JsonNode rows = Json.PRETTY.readTree(out.resolve("experiment.json").toFile()).get("by_budget");
    JsonNode typical20 = null;
    for (JsonNode r : rows) {
      if (r.get("labels").asInt() == 20 && r.get("strategy").asText().equals("typical")) {
        typical20 = r;
      }
    }
    assertEquals(0.05, typical20.get("minus_random").get("mean").asDouble(), 1e-12);
    List<Double> runs = new ArrayList<>();
    typical20.get("minus_random").get("runs").forEach(x -> runs.add(x.asDouble()));
    assertEquals(4, runs.size(), "one gain per sample and seed");
    for (int i = 0; i < 4; i++) {
      assertEquals(gain[i / 2][i % 2], runs.get(i), 1e-12, "sample by sample, seed by seed");
    }
    assertTrue(Files.size(out.resolve("label-efficiency.png")) > 1000);
  }

  private static ActiveExperiment.Point point(
      int sample, String strategy, long seed, int labels, double accuracy) {
    return new ActiveExperiment.Point(
        sample, strategy, seed, labels, accuracy, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }
}
