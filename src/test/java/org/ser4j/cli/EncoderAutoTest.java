package org.ser4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.api.Ser4j;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.PairWriter;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderSpec;
import org.ser4j.encoder.FeatureCache;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.ModelStore;
import org.ser4j.model.RewardScorer;
import org.ser4j.model.head.HeadModel;
import org.ser4j.ser.EncoderSearch;
import org.ser4j.testing.SharedData;
import org.ser4j.testing.TestEncoders;
import org.ser4j.util.Json;

/**
 * `ser train` on the default `--encoder auto`: the choice is printed first and recorded; every
 * candidate encoder encoded the labeled pairs and nothing else, the test pairs only the chosen
 * ones; and the saved model names the chosen encoders, so `ser eval` and the Java API reload it and
 * score as the chosen encoders' vectors under its head do.
 */
class EncoderAutoTest {
  @TempDir Path dir;

  @Test
  void autoChoosesFromTheLabeledPairsEncodesOnlyThemWithEveryCandidateAndRecordsTheChoice()
      throws Exception {
    List<PreferencePair> all =
        PairReader.readAll(
                SharedData.require(SharedData.HH_RLHF), ReadOptions.defaults().withSkipBad(true))
            .pairs();
    List<PreferencePair> labeled = all.subList(300, 360);
    List<PreferencePair> test = all.subList(360, 372);
    Path train = dir.resolve("train.jsonl");
    Path testFile = dir.resolve("test.jsonl");
    PairWriter.write(train, labeled);
    PairWriter.write(testFile, test);
    Path cache = dir.resolve("cache"); // its own, so it holds only what this run encoded
    Path model = dir.resolve("model");
    CliTest.Result r =
        CliTest.run(
            "train",
            "--train",
            train.toString(),
            "--test",
            testFile.toString(),
            "--quiet",
            "--cache",
            cache.toString(),
            "--out",
            model.toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(1).startsWith("encoder auto: 7 candidates on 60 labeled pairs"), r.out());

    JsonNode config = Json.LINE.readTree(model.resolve("config.json").toFile());
    JsonNode choice = config.path("provenance").path("config").path("encoder_choice");
    assertEquals(7, choice.path("candidates").size(), config.toString());
    JsonNode metrics = Json.LINE.readTree(model.resolve("metrics.json").toFile());
    assertEquals(choice, metrics.get("encoder_choice"));
    HeadModel loaded = (HeadModel) ModelStore.load(model);
    assertEquals(choice.path("chosen").asText(), loaded.encoder().name());
    assertEquals(choice.path("input").asText(), loaded.encoder().strategy().cliName());
    // The recorded table is the one printed.
    assertEquals(
        EncoderSearch.Choice.lines(choice), lines.subList(1, 1 + 2 + 7), "printed as recorded");

    // Every candidate's cache holds exactly the labeled pairs' texts; the chosen ones' also hold
    // the test pairs' texts (as the chosen input reads them), the others none of them.
    Set<String> chosen = new HashSet<>();
    for (EncoderConfig v :
        loaded.encoder().isConcat() ? loaded.encoder().views() : List.of(loaded.encoder())) {
      chosen.add(v.name());
    }
    for (String name : EncoderSearch.DEFAULT_CANDIDATES) {
      EncoderConfig c = EncoderConfig.of(EncoderSpec.builtIn(name), false, 0, "auto").pinned();
      FeatureCache f = FeatureCache.open(cache, c.cacheNamespace(), 384);
      Set<FeatureCache.Key> labeledKeys = keys(name, labeled, true, true);
      boolean pair = !loaded.encoder().strategy().cliName().equals("response");
      Set<FeatureCache.Key> expected = new HashSet<>(labeledKeys);
      if (chosen.contains(name)) {
        expected.addAll(keys(name, test, pair, true)); // as the chosen input reads them
      }
      assertEquals(expected.size(), f.size(), name + ", chosen: " + chosen.contains(name));
      for (FeatureCache.Key k : expected) {
        assertNotNull(f.get(k), name);
      }
      if (!chosen.contains(name)) {
        for (FeatureCache.Key k : keys(name, test, true, true)) {
          if (!labeledKeys.contains(k)) { // (an answer in both sets was read as labeled)
            assertNull(f.get(k), name + " is not chosen: it never reads a test pair");
          }
        }
      }
    }

    // Reloaded: `ser eval` gives the accuracy training measured, and the API's rewards are the
    // chosen encoders' vectors (encoded apart, joined by hand) under the saved head.
    CliTest.Result eval =
        CliTest.run(
            "eval",
            "--model",
            model.toString(),
            "--test",
            testFile.toString(),
            "--quiet",
            "--cache",
            cache.toString(),
            "--out",
            dir.resolve("eval").toString());
    assertEquals(0, eval.code(), eval.err());
    assertEquals(
        metrics.get("test_accuracy").asDouble(),
        Json.LINE
            .readTree(dir.resolve("eval").resolve("eval.json").toFile())
            .get("accuracy")
            .asDouble(),
        1e-12);
    List<ResponseInput> inputs = new ArrayList<>();
    for (PreferencePair p : test.subList(0, 4)) {
      inputs.add(new ResponseInput(p.prompt(), p.chosen()));
      inputs.add(new ResponseInput(p.prompt(), p.rejected()));
    }
    List<EncoderConfig> views =
        loaded.encoder().isConcat() ? loaded.encoder().views() : List.of(loaded.encoder());
    float[][] joined = new float[inputs.size()][0];
    for (EncoderConfig v : views) {
      try (Featurizer f = TestEncoders.open(v, cache)) {
        float[][] part = f.features(inputs);
        for (int i = 0; i < joined.length; i++) {
          float[] row = java.util.Arrays.copyOf(joined[i], joined[i].length + part[i].length);
          System.arraycopy(part[i], 0, row, joined[i].length, part[i].length);
          joined[i] = row;
        }
      }
    }
    try (RewardScorer api = Ser4j.open(model)) {
      double[] rewards = api.rewards(inputs);
      for (int i = 0; i < inputs.size(); i++) {
        assertEquals(loaded.score(joined[i]), rewards[i], 1e-9, "input " + i);
      }
    }
  }

  /**
   * `ser evolve` on your own data with `--encoder-candidates`: the narrowed table (three
   * candidates) is recorded in run.json and report.json alike, shown on report.html's Encoder
   * section, and printed by `ser info`.
   */
  @Test
  void anEvolveRunRecordsItsChoiceForReportAndInfo() throws Exception {
    List<PreferencePair> all =
        PairReader.readAll(
                SharedData.require(SharedData.HH_RLHF), ReadOptions.defaults().withSkipBad(true))
            .pairs();
    Path labeled = dir.resolve("labeled.jsonl");
    Path test = dir.resolve("test.jsonl");
    Path pool = dir.resolve("pool.jsonl");
    PairWriter.write(labeled, all.subList(300, 360));
    PairWriter.write(test, all.subList(360, 372));
    List<org.ser4j.data.UnlabeledPair> unlabeled = new ArrayList<>();
    for (PreferencePair p : all.subList(372, 412)) {
      unlabeled.add(
          new org.ser4j.data.UnlabeledPair(
              unlabeled.size(), p.id(), p.prompt(), p.chosen(), p.rejected(), p.source()));
    }
    PairWriter.writeUnlabeled(pool, unlabeled);
    Path run = dir.resolve("run");
    CliTest.Result r =
        CliTest.run(
            "evolve",
            "--labeled",
            labeled.toString(),
            "--unlabeled",
            pool.toString(),
            "--test",
            test.toString(),
            "--encoder-candidates",
            "bge-small-q,minilm-l6-q",
            "--max-loops",
            "1",
            "--quiet",
            "--cache",
            TestEncoders.CACHE.toString(),
            "--out",
            run.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode choice = Json.LINE.readTree(run.resolve("run.json").toFile()).get("encoder_choice");
    assertEquals(3, choice.get("candidates").size(), choice.toString());
    assertEquals(
        choice, Json.LINE.readTree(run.resolve("report.json").toFile()).get("encoder_choice"));
    String html = java.nio.file.Files.readString(run.resolve("report.html"));
    assertTrue(html.contains("--encoder auto chose " + choice.get("chosen").asText()), html);
    CliTest.Result info = CliTest.run("info", "--model", run.toString());
    assertEquals(0, info.code(), info.err());
    assertTrue(
        info.out().contains(String.join("\n", EncoderSearch.Choice.lines(choice))), info.out());
  }

  /** The cache keys an encoder's featurizer uses for the pairs' answers. */
  private static Set<FeatureCache.Key> keys(
      String encoder, List<PreferencePair> pairs, boolean pair, boolean response) {
    String[] prefix = EncoderSpec.prefixes(encoder);
    Set<FeatureCache.Key> out = new HashSet<>();
    for (PreferencePair p : pairs) {
      for (String answer : List.of(p.chosen(), p.rejected())) {
        if (pair) {
          out.add(FeatureCache.key(prefix[0] + p.prompt().transcript(), prefix[1] + answer));
        }
        if (response) {
          out.add(FeatureCache.key(null, prefix[1] + answer));
        }
      }
    }
    return out;
  }
}
