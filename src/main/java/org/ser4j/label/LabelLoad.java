package org.ser4j.label;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ser4j.util.Json;

/**
 * Simulated annotators against a running labeling server, over HTTP as a page would: each asks for
 * a pair, answers it at once (now and then undoing the last answer), for a bounded time. Afterwards
 * the label file is checked against what the server confirmed: every confirmed label is there
 * exactly once, and none that was taken back or never confirmed.
 */
public final class LabelLoad {
  private LabelLoad() {}

  /**
   * @param confirmed labels the server confirmed and did not see undone
   * @param lost confirmed labels missing from the file
   * @param extra lines in the file that no annotator holds confirmed
   * @param duplicates (pair, annotator) on more than one line
   * @param sharedPairs pairs labeled (not skipped) by more than one annotator: none with overlap 1
   */
  public record Result(
      int annotators,
      double seconds,
      int confirmed,
      int undos,
      int requests,
      double p50Millis,
      double p99Millis,
      int fileLines,
      int lost,
      int extra,
      int duplicates,
      int sharedPairs) {
    public double labelsPerSecond() {
      return confirmed / seconds;
    }
  }

  public static Result run(String base, Path out, int annotators, double seconds, double undoRate)
      throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newFixedThreadPool(4))
            .build();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    ExecutorService pool = Executors.newFixedThreadPool(annotators);
    List<Future<Annotator>> runs = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < annotators; i++) {
      Annotator a =
          new Annotator(String.format("sim-%02d", i), http, base, new SplittableRandom(i));
      runs.add(pool.submit(() -> a.work(end, undoRate)));
    }
    List<Annotator> done = new ArrayList<>();
    for (Future<Annotator> f : runs) {
      done.add(f.get());
    }
    double took = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    Set<String> confirmed = new HashSet<>();
    List<Double> latencies = new ArrayList<>();
    int undos = 0;
    for (Annotator a : done) {
      for (String id : a.labeled) {
        confirmed.add(id + '\u0000' + a.name);
      }
      latencies.addAll(a.latencies);
      undos += a.undos;
    }
    Map<String, Integer> lines = new HashMap<>();
    Map<String, Set<String>> byPair = new HashMap<>();
    int fileLines = 0;
    for (String line : Files.readAllLines(out)) {
      JsonNode n = Json.LINE.readTree(line);
      String id = n.get("id").textValue();
      String who = n.get("annotator").textValue();
      lines.merge(id + '\u0000' + who, 1, Integer::sum);
      if (!n.get("preferred").textValue().equals("skip")) {
        byPair.computeIfAbsent(id, k -> new HashSet<>()).add(who);
      }
      fileLines++;
    }
    int lost = 0;
    for (String c : confirmed) {
      lost += lines.containsKey(c) ? 0 : 1;
    }
    int extra = 0;
    int duplicates = 0;
    for (Map.Entry<String, Integer> e : lines.entrySet()) {
      extra += confirmed.contains(e.getKey()) ? 0 : 1;
      duplicates += e.getValue() > 1 ? 1 : 0;
    }
    int shared = (int) byPair.values().stream().filter(s -> s.size() > 1).count();
    double[] ms = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Result(
        annotators,
        took,
        confirmed.size(),
        undos,
        ms.length,
        quantile(ms, 0.5),
        quantile(ms, 0.99),
        fileLines,
        lost,
        extra,
        duplicates,
        shared);
  }

  private static double quantile(double[] sorted, double q) {
    return sorted.length == 0
        ? Double.NaN
        : sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
  }

  /** One simulated person: the labels the server confirmed to them, in order. */
  private static final class Annotator {
    final String name;
    final HttpClient http;
    final String base;
    final SplittableRandom random;
    final Deque<String> labeled = new ArrayDeque<>();
    final List<Double> latencies = new ArrayList<>();
    int undos;

    Annotator(String name, HttpClient http, String base, SplittableRandom random) {
      this.name = name;
      this.http = http;
      this.base = base;
      this.random = random;
    }

    Annotator work(long end, double undoRate) throws IOException, InterruptedException {
      JsonNode shown = post("/api/next", Map.of("annotator", name));
      while (System.nanoTime() < end && shown.has("pair")) {
        String id = shown.get("pair").get("id").textValue();
        String choice =
            List.of("left", "right", "left", "right", "tie", "skip").get(random.nextInt(6));
        shown = post("/api/label", Map.of("annotator", name, "id", id, "choice", choice));
        labeled.addLast(id);
        if (random.nextDouble() < undoRate) {
          shown = post("/api/undo", Map.of("annotator", name));
          labeled.removeLast();
          undos++;
        }
      }
      return this;
    }

    JsonNode post(String path, Map<String, String> body) throws IOException, InterruptedException {
      HttpRequest r =
          HttpRequest.newBuilder(URI.create(base + path))
              .header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(60))
              .POST(HttpRequest.BodyPublishers.ofByteArray(Json.LINE.writeValueAsBytes(body)))
              .build();
      long t0 = System.nanoTime();
      HttpResponse<byte[]> response = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
      latencies.add((System.nanoTime() - t0) / 1e6);
      if (response.statusCode() != 200) {
        throw new IOException(
            path
                + " answered "
                + response.statusCode()
                + ": "
                + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
      }
      return Json.LINE.readTree(response.body());
    }
  }
}
