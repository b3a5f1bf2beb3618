package org.ser4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.ser4j.data.PreferencePair;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.head.FeatureScorer;
import org.ser4j.model.head.HeadModel;
import org.ser4j.serve.RewardServer;
import org.ser4j.util.Json;
import org.ser4j.util.Progress;

/**
 * /get_reward under concurrent clients on loopback against offline scoring of the same texts, both
 * with cold in-memory caches, side by side in one run. Checks that every response carries exactly
 * the offline rewards of its own texts, in order.
 */
public final class ServerBench {
  /** How the load is made: clients x requests each x queries per request. */
  public record Load(int clients, int requests, int perRequest) {
    int texts() {
      return clients * requests * perRequest;
    }
  }

  /** The figures; {@link #json()} gives them with their keys. */
  public record Result(
      int texts,
      double offlineTextsPerS,
      double serverTextsPerS,
      double p50Seconds,
      double p99Seconds,
      int failedRequests,
      int mismatchedRewards) {
    public double serverVsOffline() {
      return serverTextsPerS / offlineTextsPerS;
    }

    public ObjectNode json(int clients) {
      return Json.LINE
          .createObjectNode()
          .put("texts", texts)
          .put("clients", clients)
          .put("offline_texts_per_s", offlineTextsPerS)
          .put("server_texts_per_s", serverTextsPerS)
          .put("server_vs_offline", serverVsOffline())
          .put("p50_seconds", p50Seconds)
          .put("p99_seconds", p99Seconds)
          .put("failed_requests", failedRequests)
          .put("mismatched_rewards", mismatchedRewards);
    }
  }

  private ServerBench() {}

  /**
   * Serves {@code rm} (named {@code name}) on loopback and loads it with the answers of {@code
   * data}.
   */
  public static Result run(
      HeadModel rm, String name, List<PreferencePair> data, Load load, int threads, int batch)
      throws Exception {
    int total = load.texts();
    List<String> queries = new ArrayList<>();
    List<ResponseInput> inputs = new ArrayList<>();
    for (PreferencePair p : data) {
      for (String response : List.of(p.chosen(), p.rejected())) {
        if (queries.size() < total) {
          queries.add("\n\n" + p.prompt().transcript() + "\n\nAssistant: " + response);
          inputs.add(new ResponseInput(p.prompt(), response));
        }
      }
    }
    if (queries.size() < total) {
      throw new IllegalArgumentException(
          "the data has only " + queries.size() + " responses; need " + total);
    }
    double[] offline;
    double offlineSeconds;
    try (Featurizer f = Featurizer.open(rm.encoder(), null, Progress.quiet(), threads, batch)) {
      f.features(inputs.subList(0, 20)); // warm-up, then a cold cache for the timed run
    }
    try (Featurizer f = Featurizer.open(rm.encoder(), null, Progress.quiet(), threads, batch)) {
      long t0 = System.nanoTime();
      offline = rm.score(f, inputs);
      offlineSeconds = Timing.since(t0);
    }
    for (int i = 0; i < offline.length; i++) {
      offline[i] = rm.scale().apply(offline[i], inputs.get(i).response().length());
    }

    Featurizer serverFeatures =
        Featurizer.open(rm.encoder(), null, Progress.quiet(), threads, batch);
    RewardServer server =
        new RewardServer(
            new FeatureScorer(rm, serverFeatures), name, RewardServer.Limits.defaults());
    int port = server.start("127.0.0.1", 0);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    double[] latencies = new double[load.clients() * load.requests()];
    AtomicInteger mismatches = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(load.clients());
    long t0 = System.nanoTime();
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int c = 0; c < load.clients(); c++) {
        int client = c;
        jobs.add(
            pool.submit(
                () -> {
                  for (int r = 0; r < load.requests(); r++) {
                    int request = client * load.requests() + r;
                    int first = request * load.perRequest();
                    ObjectNode body = Json.LINE.createObjectNode();
                    ArrayNode q = body.putArray("query");
                    queries.subList(first, first + load.perRequest()).forEach(q::add);
                    HttpRequest req =
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/get_reward"))
                            .timeout(Duration.ofMinutes(5))
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                            .build();
                    long s = System.nanoTime();
                    HttpResponse<String> resp =
                        http.send(req, HttpResponse.BodyHandlers.ofString());
                    latencies[request] = Timing.since(s);
                    if (resp.statusCode() != 200) {
                      failures.incrementAndGet();
                      continue;
                    }
                    JsonNode rewards = Json.LINE.readTree(resp.body()).get("rewards");
                    for (int k = 0; k < load.perRequest(); k++) {
                      if (rewards.get(k).asDouble() != offline[first + k]) {
                        mismatches.incrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> j : jobs) {
        j.get();
      }
    } finally {
      pool.shutdownNow();
      server.stop(10_000);
      serverFeatures.close();
    }
    double serverSeconds = Timing.since(t0);
    Arrays.sort(latencies);
    return new Result(
        total,
        total / offlineSeconds,
        total / serverSeconds,
        latencies[(int) Math.ceil(0.50 * latencies.length) - 1],
        latencies[(int) Math.ceil(0.99 * latencies.length) - 1],
        failures.get(),
        mismatches.get());
  }
}
