package org.ser4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.head.HeadModel;
import org.ser4j.serve.RewardServer;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Json;
import org.ser4j.util.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `ser bench-server`: /get_reward under concurrent clients on loopback against offline scoring of
 * the same texts, both with cold in-memory caches, side by side in one run. Checks that every
 * response carries exactly the offline rewards of its own texts, in order.
 */
@Command(
    name = "bench-server",
    mixinStandardHelpOptions = true,
    description =
        "Load-test /get_reward with concurrent clients on loopback: throughput against offline scoring of the same texts, p50/p99 latency, and a check that every response matches its request.")
public final class BenchServerCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ModelOptions model;

  @Option(
      names = "--data",
      paramLabel = "FILE",
      required = true,
      description =
          "Pairs whose responses become queries, such as ../shared/data/hh-rlhf/harmless-base-test.jsonl.gz; required.")
  Path data;

  @Option(
      names = "--clients",
      paramLabel = "N",
      defaultValue = "32",
      description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--requests",
      paramLabel = "N",
      defaultValue = "8",
      description = "Requests per client (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(
      names = "--texts-per-request",
      paramLabel = "N",
      defaultValue = "4",
      description = "Queries per request (default: ${DEFAULT-VALUE}).")
  int perRequest;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Also write the figures as JSON (default: none).")
  Path out;

  @Override
  public Integer call() throws Exception {
    HeadModel rm =
        HeadModel.load(model.dir); // it times the frozen encoder against ONNX Runtime alone
    int total = clients * requests * perRequest;
    List<String> queries = new ArrayList<>();
    List<ResponseInput> inputs = new ArrayList<>();
    for (PreferencePair p :
        PairReader.readAll(data, ReadOptions.defaults().withSkipBad(true)).pairs()) {
      for (String response : List.of(p.chosen(), p.rejected())) {
        if (queries.size() < total) {
          queries.add("\n\n" + p.prompt().transcript() + "\n\nAssistant: " + response);
          inputs.add(new ResponseInput(p.prompt(), response));
        }
      }
    }
    if (queries.size() < total) {
      throw new IllegalArgumentException(
          data + " has only " + queries.size() + " responses; need " + total);
    }
    int threads = model.runtime.threadCount();
    int batch = model.runtime.batchSize;
    double[] offline;
    double offlineSeconds;
    try (Featurizer f = Featurizer.open(rm.encoder(), null, Progress.quiet(), threads, batch)) {
      f.features(inputs.subList(0, 20)); // warm-up, then a cold cache for the timed run
    }
    try (Featurizer f = Featurizer.open(rm.encoder(), null, Progress.quiet(), threads, batch)) {
      long t0 = System.nanoTime();
      offline = rm.score(f, inputs);
      offlineSeconds = (System.nanoTime() - t0) / 1e9;
    }
    for (int i = 0; i < offline.length; i++) {
      offline[i] = rm.scale().apply(offline[i], inputs.get(i).response().length());
    }

    Featurizer serverFeatures =
        Featurizer.open(rm.encoder(), null, Progress.quiet(), threads, batch);
    RewardServer server =
        new RewardServer(
            new org.ser4j.model.head.FeatureScorer(rm, serverFeatures),
            model.dir.toString(),
            RewardServer.Limits.defaults());
    int port = server.start("127.0.0.1", 0);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    double[] latencies = new double[clients * requests];
    AtomicInteger mismatches = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long t0 = System.nanoTime();
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        jobs.add(
            pool.submit(
                () -> {
                  for (int r = 0; r < requests; r++) {
                    int first = (client * requests + r) * perRequest;
                    ObjectNode body = Json.LINE.createObjectNode();
                    ArrayNode q = body.putArray("query");
                    queries.subList(first, first + perRequest).forEach(q::add);
                    HttpRequest req =
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/get_reward"))
                            .timeout(Duration.ofMinutes(5))
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                            .build();
                    long s = System.nanoTime();
                    HttpResponse<String> resp =
                        http.send(req, HttpResponse.BodyHandlers.ofString());
                    latencies[client * requests + r] = (System.nanoTime() - s) / 1e9;
                    if (resp.statusCode() != 200) {
                      failures.incrementAndGet();
                      continue;
                    }
                    JsonNode rewards = Json.LINE.readTree(resp.body()).get("rewards");
                    for (int k = 0; k < perRequest; k++) {
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
    double serverSeconds = (System.nanoTime() - t0) / 1e9;
    Arrays.sort(latencies);
    double p50 = latencies[(int) Math.ceil(0.50 * latencies.length) - 1];
    double p99 = latencies[(int) Math.ceil(0.99 * latencies.length) - 1];
    double offlineRate = total / offlineSeconds;
    double serverRate = total / serverSeconds;
    PrintWriter log = spec.commandLine().getOut();
    log.printf(Locale.ROOT, "%-40s %12s%n", "measure", "value");
    log.printf(Locale.ROOT, "%-40s %12.1f%n", "offline score texts/s", offlineRate);
    log.printf(
        Locale.ROOT, "%-40s %12.1f%n", "/get_reward texts/s (" + clients + " clients)", serverRate);
    log.printf(Locale.ROOT, "%-40s %12.3f%n", "server / offline", serverRate / offlineRate);
    log.printf(Locale.ROOT, "%-40s %12.3f%n", "p50 latency (s)", p50);
    log.printf(Locale.ROOT, "%-40s %12.3f%n", "p99 latency (s)", p99);
    log.printf(Locale.ROOT, "%-40s %12d%n", "failed requests", failures.get());
    log.printf(Locale.ROOT, "%-40s %12d%n", "rewards differing from offline", mismatches.get());
    log.printf(
        Locale.ROOT,
        "(%d texts: %d clients x %d requests x %d queries; cold caches; %s)%n",
        total,
        clients,
        requests,
        perRequest,
        rm.encoder().name());
    if (out != null) {
      ObjectNode json = Json.LINE.createObjectNode();
      json.put("texts", total)
          .put("clients", clients)
          .put("offline_texts_per_s", offlineRate)
          .put("server_texts_per_s", serverRate)
          .put("server_vs_offline", serverRate / offlineRate)
          .put("p50_seconds", p50)
          .put("p99_seconds", p99)
          .put("failed_requests", failures.get())
          .put("mismatched_rewards", mismatches.get());
      AtomicFiles.writeString(out, json.toPrettyString() + "\n");
    }
    log.flush();
    return failures.get() == 0 && mismatches.get() == 0 ? 0 : 1;
  }
}
