package org.ser4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.PairWriter;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.ModelStore;
import org.ser4j.model.RewardScorer;
import org.ser4j.model.head.HeadModel;
import org.ser4j.serve.RewardServer;
import org.ser4j.testing.SharedData;
import org.ser4j.testing.TestEncoders;
import org.ser4j.util.Json;
import org.ser4j.util.Progress;

/**
 * A reward model on two encoders' features side by side: trained by `ser train --encoder a,b`,
 * saved with both encoders, and scoring through `ser serve` exactly as the two encoders' vectors,
 * concatenated by hand, give under its head.
 */
class MultiEncoderTest {
  @TempDir Path dir;

  @Test
  void aTwoEncoderModelTrainsSavesAndServesItsTrainingScores() throws Exception {
    List<PreferencePair> pairs =
        PairReader.readAll(
                SharedData.require(SharedData.HH_RLHF), ReadOptions.defaults().withSkipBad(true))
            .pairs()
            .subList(0, 240);
    Path train = dir.resolve("train.jsonl");
    PairWriter.write(train, pairs);
    Path model = dir.resolve("model");
    CliTest.Result r =
        CliTest.run(
            "train",
            "--train",
            train.toString(),
            "--encoder",
            "bge-small-q,e5-small-q",
            "--quiet",
            "--cache",
            TestEncoders.CACHE.toString(),
            "--out",
            model.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode config = Json.LINE.readTree(model.resolve("config.json").toFile());
    assertEquals("bge-small-q+e5-small-q", config.get("encoder").get("name").asText());
    assertEquals(2, config.get("encoder").get("views").size());
    assertEquals(
        2 * 2 * 384, config.get("head").get("input_dim").asInt(), "two encoders, pair+response");

    HeadModel loaded = (HeadModel) ModelStore.load(model);
    EncoderConfig bge = loaded.encoder().views().get(0);
    EncoderConfig e5 = loaded.encoder().views().get(1);
    List<ResponseInput> inputs = new ArrayList<>();
    for (PreferencePair p : pairs.subList(0, 6)) {
      inputs.add(new ResponseInput(p.prompt(), p.chosen()));
      inputs.add(new ResponseInput(p.prompt(), p.rejected()));
    }
    // By hand: each encoder on its own, the vectors joined, the head applied.
    double[] expected = new double[inputs.size()];
    try (Featurizer a = TestEncoders.open(bge, TestEncoders.CACHE);
        Featurizer b = TestEncoders.open(e5, TestEncoders.CACHE)) {
      float[][] fa = a.features(inputs);
      float[][] fb = b.features(inputs);
      for (int i = 0; i < expected.length; i++) {
        float[] joined = new float[fa[i].length + fb[i].length];
        System.arraycopy(fa[i], 0, joined, 0, fa[i].length);
        System.arraycopy(fb[i], 0, joined, fa[i].length, fb[i].length);
        expected[i] = loaded.score(joined);
      }
    }
    assertTrue(expected[0] != expected[1], "the two answers score differently");
    EncoderRuntime runtime = new EncoderRuntime(TestEncoders.CACHE, 2, 1, Progress.quiet());
    try (RewardScorer scorer = loaded.open(runtime)) {
      RewardServer server =
          new RewardServer(scorer, model.toString(), RewardServer.Limits.defaults());
      int port = server.start("127.0.0.1", 0);
      try {
        var body = Json.LINE.createObjectNode();
        var list = body.putArray("pairs");
        for (ResponseInput in : inputs) {
          list.addObject().put("prompt", in.prompt().lastTurn()).put("response", in.response());
        }
        // the served prompt is the last turn only here, so compare on single-turn inputs
        List<ResponseInput> asServed = new ArrayList<>();
        for (ResponseInput in : inputs) {
          asServed.add(
              new ResponseInput(org.ser4j.data.Prompt.of(in.prompt().lastTurn()), in.response()));
        }
        double[] direct = scorer.rewards(asServed);
        HttpResponse<String> resp =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/score"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertEquals(200, resp.statusCode(), resp.body());
        JsonNode served = Json.LINE.readTree(resp.body()).get("rewards");
        for (int i = 0; i < direct.length; i++) {
          assertEquals(scorer.scaled(direct[i], asServed.get(i)), served.get(i).asDouble(), 1e-9);
        }
      } finally {
        server.stop(5_000);
      }
      double[] viaScorer = scorer.rewards(inputs);
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], viaScorer[i], 1e-9, "input " + i);
      }
    }
  }
}
