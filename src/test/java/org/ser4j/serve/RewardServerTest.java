package org.ser4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.head.HeadModel;
import org.ser4j.model.head.PairEncoding;
import org.ser4j.model.head.PairFeatures;
import org.ser4j.model.head.RewardTrainer;
import org.ser4j.model.head.TrainConfig;
import org.ser4j.model.head.TrainedHead;
import org.ser4j.testing.SharedData;
import org.ser4j.testing.TestEncoders;
import org.ser4j.util.ApiKey;
import org.ser4j.util.Progress;

/** The real server on a free loopback port, called over HTTP. */
class RewardServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static Featurizer featurizer;
  private static HeadModel model;
  private static RewardServer server;
  private static String base;
  private static List<PreferencePair> pairs;

  @BeforeAll
  static void start() throws Exception {
    pairs =
        PairReader.readAll(
                SharedData.require(SharedData.HH_RLHF), ReadOptions.defaults().withSkipBad(true))
            .pairs()
            .subList(0, 300);
    featurizer = TestEncoders.open(TestEncoders.defaults(), TestEncoders.CACHE);
    PairFeatures f = PairEncoding.features(featurizer, pairs).get(0);
    TrainedHead head = new RewardTrainer(TrainConfig.defaults(), Progress.quiet()).train(f);
    model =
        new HeadModel(
            featurizer.config(),
            head.normalizer(),
            head.head(),
            org.ser4j.model.Provenance.UNKNOWN);
    server =
        new RewardServer(
            new org.ser4j.model.head.FeatureScorer(model, featurizer),
            "test-model",
            new RewardServer.Limits(64 * 1024, 50, 5, 1024));
    base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop(10_000);
    featurizer.close();
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofMinutes(2))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
  }

  static String query(PreferencePair p, boolean chosen) {
    return "\n\n"
        + p.prompt().transcript()
        + "\n\nAssistant: "
        + (chosen ? p.chosen() : p.rejected());
  }

  /** What `ser score` computes for these responses: the model on the same featurizer, offline. */
  static double[] offline(List<ResponseInput> inputs) throws Exception {
    return model.score(featurizer, inputs);
  }

  @Test
  void getRewardEqualsOfflineScoresInRequestOrder() throws Exception {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode q = body.putArray("query");
    List<ResponseInput> inputs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      PreferencePair p = pairs.get(i);
      boolean chosen = i % 3 != 0;
      q.add(query(p, chosen));
      inputs.add(new ResponseInput(p.prompt(), chosen ? p.chosen() : p.rejected()));
    }
    HttpResponse<String> resp = post("/get_reward", body.toString());
    assertEquals(200, resp.statusCode(), resp.body());
    JsonNode rewards = JSON.readTree(resp.body()).get("rewards");
    double[] expected = offline(inputs);
    assertEquals(expected.length, rewards.size());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], rewards.get(i).asDouble(), 0.0, "query " + i);
    }
  }

  @Test
  void getRewardEqualsTheScoreCommandOnTheSameTexts() throws Exception {
    java.nio.file.Path tmp = java.nio.file.Files.createTempDirectory("ser4j-serve");
    model.save(tmp.resolve("model"));
    StringBuilder records = new StringBuilder();
    ObjectNode body = JSON.createObjectNode();
    ArrayNode q = body.putArray("query");
    for (int i = 20; i < 30; i++) {
      PreferencePair p = pairs.get(i);
      ObjectNode record = JSON.createObjectNode();
      org.ser4j.data.format.PairWriter.putPrompt(record, p.prompt());
      records.append(record.put("response", p.rejected())).append('\n');
      q.add(query(p, false));
    }
    java.nio.file.Files.writeString(tmp.resolve("in.jsonl"), records);
    String[] args = {
      "score",
      "--model",
      tmp.resolve("model").toString(),
      "--input",
      tmp.resolve("in.jsonl").toString(),
      "--out",
      tmp.resolve("out.jsonl").toString(),
      "--quiet",
      "--cache",
      TestEncoders.CACHE.toString()
    };
    assertEquals(
        0,
        org.ser4j.cli.SerCli.run(
            args,
            new java.io.PrintWriter(new java.io.StringWriter()),
            new java.io.PrintWriter(new java.io.StringWriter())));
    List<String> scored = java.nio.file.Files.readAllLines(tmp.resolve("out.jsonl"));
    JsonNode rewards = JSON.readTree(post("/get_reward", body.toString()).body()).get("rewards");
    for (int i = 0; i < scored.size(); i++) {
      assertEquals(
          JSON.readTree(scored.get(i)).get("reward").asDouble(),
          rewards.get(i).asDouble(),
          0.0,
          "text " + i);
    }
  }

  @Test
  void scoreAndCompareAgreeWithOffline() throws Exception {
    PreferencePair p = pairs.get(3);
    ObjectNode body = JSON.createObjectNode();
    ObjectNode pair = body.putArray("pairs").addObject();
    ArrayNode prompt = pair.putArray("prompt");
    p.prompt()
        .turns()
        .forEach(
            t ->
                prompt
                    .addObject()
                    .put("role", t.role().name().toLowerCase())
                    .put("content", t.content()));
    pair.put("response", p.chosen());
    double[] expected =
        offline(
            List.of(
                new ResponseInput(p.prompt(), p.chosen()),
                new ResponseInput(p.prompt(), p.rejected())));
    HttpResponse<String> score = post("/score", body.toString());
    assertEquals(200, score.statusCode(), score.body());
    assertEquals(expected[0], JSON.readTree(score.body()).get("rewards").get(0).asDouble(), 0.0);

    pair.remove("response");
    pair.put("a", p.chosen()).put("b", p.rejected());
    HttpResponse<String> compare = post("/compare", body.toString());
    assertEquals(200, compare.statusCode(), compare.body());
    assertEquals(
        HeadModel.probability(expected[0], expected[1]),
        JSON.readTree(compare.body()).get("probabilities").get(0).asDouble(),
        1e-15);
  }

  private static void assertError(HttpResponse<String> resp, int status, String fragment)
      throws Exception {
    assertEquals(status, resp.statusCode(), resp.body());
    JsonNode error = JSON.readTree(resp.body()).get("error");
    assertTrue(
        error != null && error.asText().contains(fragment),
        "error mentions '" + fragment + "': " + resp.body());
    assertTrue(
        !resp.body().contains("Exception") && !resp.body().contains("at org."),
        "no stack trace: " + resp.body());
  }

  @Test
  void eachBadRequestGetsItsOwnClientError() throws Exception {
    assertError(post("/get_reward", "{\"query\": ["), 400, "malformed JSON");
    assertError(post("/get_reward", "[1, 2]"), 400, "expected a JSON object");
    assertError(post("/get_reward", ""), 400, "empty body");
    assertError(post("/get_reward", "{}"), 400, "field 'query': missing");
    assertError(
        post("/get_reward", "{\"query\": \"text\"}"), 400, "field 'query': expected an array");
    assertError(
        post("/get_reward", "{\"query\": [\"a\", 3]}"), 400, "field 'query[1]': expected a string");
    assertError(
        post("/get_reward", "{\"query\": [\"a\"], \"prompts\": [\"a\", \"b\"]}"),
        400,
        "field 'prompts'");
    StringBuilder many = new StringBuilder("{\"query\": [");
    for (int i = 0; i < 51; i++) {
      many.append(i == 0 ? "" : ",").append("\"q").append(i).append('"');
    }
    assertError(
        post("/get_reward", many.append("]}").toString()), 413, "more than the limit of 50");
    assertError(post("/get_reward", "{\"query\": [\"" + "x".repeat(70 * 1024) + "\"]}"), 413, "");
    assertError(
        post("/score", "{\"pairs\": [{\"prompt\": \"p\"}]}"), 400, "field 'pairs[0].response'");
    assertError(
        post("/score", "{\"pairs\": [{\"prompt\": {\"x\": 1}, \"response\": \"r\"}]}"),
        400,
        "field 'pairs[0].prompt'");
    assertError(post("/compare", "{\"pairs\": [7]}"), 400, "field 'pairs[0]': expected an object");
    assertError(
        post("/get_reward", "{\"query\": " + "[".repeat(5000) + "]".repeat(5000) + "}"),
        400,
        "nesting depth");
    assertError(
        post("/score", "{\"pairs\": [{\"prompt\": \"p\", \"response\": 1e999}]}"),
        400,
        "field 'pairs[0].response': expected a string");
    HttpRequest latin1 =
        HttpRequest.newBuilder(URI.create(base + "/get_reward"))
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    "{\"query\": [\"caf\u00e9\"]}"
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
            .build();
    HttpResponse<String> notUtf8 = HTTP.send(latin1, HttpResponse.BodyHandlers.ofString());
    assertTrue(
        notUtf8.statusCode() == 200 || notUtf8.statusCode() == 400,
        "invalid UTF-8 is a client matter, never a 500: " + notUtf8.statusCode());
    HttpResponse<String> missing =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/nope")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(404, missing.statusCode());
  }

  @Test
  void manyClientsEachGetTheirOwnAnswers() throws Exception {
    double[] chosen =
        offline(pairs.stream().map(p -> new ResponseInput(p.prompt(), p.chosen())).toList());
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Integer>> jobs = new ArrayList<>();
      for (int c = 0; c < 16; c++) {
        long seed = c;
        jobs.add(
            pool.submit(
                () -> {
                  Random random = new Random(seed);
                  int checked = 0;
                  for (int r = 0; r < 8; r++) {
                    int n = 1 + random.nextInt(6);
                    int[] idx = random.ints(n, 0, pairs.size()).toArray();
                    ObjectNode body = JSON.createObjectNode();
                    ArrayNode q = body.putArray("query");
                    for (int i : idx) {
                      q.add(query(pairs.get(i), true));
                    }
                    HttpResponse<String> resp = post("/get_reward", body.toString());
                    assertEquals(200, resp.statusCode(), resp.body());
                    JsonNode rewards = JSON.readTree(resp.body()).get("rewards");
                    assertEquals(n, rewards.size());
                    for (int k = 0; k < n; k++) {
                      assertEquals(chosen[idx[k]], rewards.get(k).asDouble(), 0.0);
                      checked++;
                    }
                  }
                  return checked;
                }));
      }
      int checked = 0;
      for (Future<Integer> j : jobs) {
        checked += j.get();
      }
      assertTrue(checked >= 16 * 8);
    } finally {
      pool.shutdownNow();
    }
    HttpResponse<String> metrics =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/metrics")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(
        metrics.body().contains("ser_requests_total{endpoint=\"/get_reward\",status=\"200\"}"),
        metrics.body());
    assertTrue(metrics.body().contains("ser_batch_texts_count"), metrics.body());
    HttpResponse<String> health =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/health")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals("ok", JSON.readTree(health.body()).get("status").asText());
  }

  @Test
  void splitsChatTemplatesAndHhTurns() {
    QuerySplitter.Split chatml =
        QuerySplitter.split(
            "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>", null);
    assertTrue(chatml.recognized());
    assertEquals("Hi there", chatml.input().prompt().lastTurn());
    assertEquals("Hello!", chatml.input().response());
    QuerySplitter.Split llama =
        QuerySplitter.split(
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhy?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nBecause.<|eot_id|>",
            null);
    assertEquals("Why?", llama.input().prompt().lastTurn());
    assertEquals("Because.", llama.input().response());
    QuerySplitter.Split withPrompt =
        QuerySplitter.split("Question: 2+2?\nAnswer: 4</s>", "Question: 2+2?\nAnswer:");
    assertEquals("4", withPrompt.input().response());
    QuerySplitter.Split plain = QuerySplitter.split("just some text", null);
    assertTrue(!plain.recognized());
    assertEquals("just some text", plain.input().response());
  }

  @Test
  void speaksOpenRlhfInFullWithLabelsScoresAndExtraLogs() throws Exception {
    // One sample per request, as OpenRLHF >= 0.9.1 sends them, with its label.
    PreferencePair p = pairs.get(3);
    ObjectNode body = JSON.createObjectNode();
    body.putArray("query").add(query(p, true));
    body.putArray("prompts").add("\n\n" + p.prompt().transcript() + "\n\nAssistant: ");
    body.putArray("labels").add("a reference answer the RM does not need");
    HttpResponse<String> resp = post("/get_reward", body.toString());
    assertEquals(200, resp.statusCode(), resp.body());
    JsonNode out = JSON.readTree(resp.body());
    double expected = offline(List.of(new ResponseInput(p.prompt(), p.chosen())))[0];
    assertEquals(expected, out.get("rewards").get(0).asDouble(), 0.0);
    assertEquals(expected, out.get("scores").get(0).asDouble(), 0.0);
    JsonNode logs = out.get("extra_logs");
    assertEquals(expected, logs.get("raw_reward").get(0).asDouble(), 0.0, "scale none: raw");
    assertEquals(p.chosen().length(), logs.get("response_chars").get(0).asInt());

    ObjectNode bad = JSON.createObjectNode();
    bad.putArray("query").add("a").add("b");
    bad.putArray("labels").add("only one");
    assertError(post("/get_reward", bad.toString()), 400, "field 'labels': 1 items");
  }

  @Test
  void anApiKeyGuardsTheScoringEndpoints() throws Exception {
    java.nio.file.Path keyFile = java.nio.file.Files.createTempFile("ser4j-key", ".txt");
    java.nio.file.Files.writeString(keyFile, "s3cret-key-42\n");
    ApiKey key = ApiKey.read(keyFile);
    assertEquals("ApiKey[hidden]", key.toString());
    RewardServer guarded =
        new RewardServer(
            new org.ser4j.model.head.FeatureScorer(model, featurizer),
            "guarded",
            RewardServer.Limits.defaults(),
            key);
    String url = "http://127.0.0.1:" + guarded.start("127.0.0.1", 0);
    try {
      ObjectNode body = JSON.createObjectNode();
      body.putArray("query").add(query(pairs.get(0), true));
      java.util.function.BiFunction<String, String, HttpResponse<String>> call =
          (header, value) -> {
            HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url + "/get_reward"))
                    .timeout(Duration.ofMinutes(1))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
            if (header != null) {
              b.header(header, value);
            }
            try {
              return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };
      HttpResponse<String> none = call.apply(null, null);
      assertError(none, 401, "missing or wrong API key");
      assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
      assertFalse(none.body().contains("s3cret"), "the key is never echoed");
      assertError(call.apply("Authorization", "Bearer s3cret-key-43"), 401, "API key");
      assertError(call.apply("Authorization", "Bearer s3cret-key-4"), 401, "API key");
      assertError(call.apply("Authorization", "s3cret-key-42"), 401, "API key");
      assertEquals(200, call.apply("Authorization", "Bearer s3cret-key-42").statusCode());
      assertEquals(200, call.apply("Authorization", "bearer s3cret-key-42").statusCode());
      assertEquals(200, call.apply("X-API-Key", "s3cret-key-42").statusCode());
      // Probes and scrapers need no key.
      HttpResponse<String> health =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url + "/health")).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
      assertTrue(JSON.readTree(health.body()).get("api_key_required").asBoolean());
    } finally {
      guarded.stop(10_000);
      java.nio.file.Files.deleteIfExists(keyFile);
    }
    java.nio.file.Path empty = java.nio.file.Files.createTempFile("ser4j-key", ".txt");
    try {
      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class, () -> ApiKey.read(empty));
      assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
    } finally {
      java.nio.file.Files.deleteIfExists(empty);
    }
  }

  @Test
  void aLengthCorrectionInTheModelReachesEveryCaller() throws Exception {
    // A steep correction, so that it must change the rewards: 2 reward units per 1,000 characters.
    org.ser4j.model.RewardScale scale =
        new org.ser4j.model.RewardScale("zscore", 0.1, 2.0, 0, 0.002, 300);
    HeadModel corrected = model.withScale(scale);
    RewardServer s =
        new RewardServer(
            new org.ser4j.model.head.FeatureScorer(corrected, featurizer),
            "corrected",
            RewardServer.Limits.defaults());
    String url = "http://127.0.0.1:" + s.start("127.0.0.1", 0);
    try {
      List<ResponseInput> inputs = new ArrayList<>();
      ObjectNode body = JSON.createObjectNode();
      ArrayNode q = body.putArray("query");
      for (int i = 0; i < 6; i++) {
        PreferencePair p = pairs.get(20 + i);
        q.add(query(p, true));
        inputs.add(new ResponseInput(p.prompt(), p.chosen()));
      }
      HttpResponse<String> resp =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url + "/get_reward"))
                  .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, resp.statusCode(), resp.body());
      JsonNode rewards = JSON.readTree(resp.body()).get("rewards");
      double[] raw = offline(inputs);
      for (int i = 0; i < raw.length; i++) {
        int len = inputs.get(i).response().length();
        double expected = ((raw[i] - 0.002 * (len - 300)) - 0.1) / 2.0; // independent arithmetic
        assertEquals(expected, rewards.get(i).asDouble(), 1e-12, "query " + i);
      }
      HttpResponse<String> health =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url + "/health")).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertTrue(JSON.readTree(health.body()).get("length_correction").asBoolean());
    } finally {
      s.stop(10_000);
    }
  }
}
