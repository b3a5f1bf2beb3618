package org.ser4j.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.ser4j.data.format.Prompts;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.RewardScorer;
import org.ser4j.model.head.FeatureScorer;
import org.ser4j.model.head.HeadModel;
import org.ser4j.util.ApiKey;
import org.ser4j.util.Json;
import org.ser4j.util.JsonApi;
import org.ser4j.util.JsonApi.Refused;

/**
 * The reward model over HTTP (Javalin on Jetty). POST /get_reward speaks OpenRLHF's remote reward
 * protocol; POST /score and /compare take prompt/response JSON; GET /health and /metrics. Bad
 * requests get a 4xx JSON error naming the field; a 5xx says only "internal error".
 */
public final class RewardServer implements AutoCloseable {
  private static final long STOP_TIMEOUT_MILLIS = 30_000;

  /** Limits on what one request may ask. */
  public record Limits(long maxBodyBytes, int maxTexts, long maxWaitMillis, int maxBatchTexts) {
    public static Limits defaults() {
      return new Limits(16L << 20, 1024, 5, 1024);
    }
  }

  private final RewardScorer model;
  private final Limits limits;
  private final ServerMetrics metrics;
  private final BatchingScorer scorer;
  private final String modelName;
  private final ApiKey apiKey;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;
  private Javalin app;

  /** Serves {@code model}'s rewards; the caller closes the scorer after {@link #stop}. */
  public RewardServer(RewardScorer model, String modelName, Limits limits) {
    this(model, modelName, limits, null);
  }

  /**
   * As above; with an {@code apiKey}, the scoring endpoints (POST) answer 401 to a request without
   * it. GET /health and /metrics stay open for probes and scrapers.
   */
  public RewardServer(RewardScorer model, String modelName, Limits limits, ApiKey apiKey) {
    this.apiKey = apiKey;
    this.model = model;
    this.limits = limits;
    this.modelName = modelName;
    this.metrics =
        new ServerMetrics(model instanceof FeatureScorer f ? f.featurizer().cache() : null);
    this.scorer =
        new BatchingScorer(model, limits.maxBatchTexts(), limits.maxWaitMillis(), metrics);
  }

  /** Starts on {@code host:port} (port 0: any free port); returns the port. */
  public int start(String host, int port) {
    app =
        Javalin.create(
            cfg -> {
              cfg.showJavalinBanner = false;
              cfg.http.maxRequestSize = limits.maxBodyBytes();
              // Jetty's graceful stop (its StatisticsHandler waits for dispatched requests) needs a
              // timeout;
              // Jetty's default of 0 cuts responses that are written after our handlers return.
              cfg.jetty.modifyServer(s -> s.setStopTimeout(STOP_TIMEOUT_MILLIS));
            });
    app.before(
        ctx -> {
          if (draining) {
            throw new Refused(503, "server is shutting down");
          }
          if (apiKey != null
              && ctx.method() == io.javalin.http.HandlerType.POST
              && !apiKey.accepts(ctx.header("Authorization"), ctx.header("X-API-Key"))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new Refused(401, "missing or wrong API key (send Authorization: Bearer KEY)");
          }
          inFlight.incrementAndGet();
          ctx.attribute("t0", System.nanoTime());
        });
    app.after(
        ctx -> {
          Long t0 = ctx.attribute("t0");
          if (t0 != null) {
            inFlight.decrementAndGet();
            String endpoint = ctx.endpointHandlerPath();
            metrics.latency.labelValues(endpoint).observe((System.nanoTime() - t0) / 1e9);
            metrics.requests.labelValues(endpoint, String.valueOf(ctx.statusCode())).inc();
          }
        });
    app.post("/get_reward", this::getReward);
    app.post("/score", this::score);
    app.post("/compare", this::compare);
    app.get("/health", ctx -> ctx.json(health()));
    app.get(
        "/metrics",
        ctx ->
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    JsonApi.handleErrors(app);
    app.error(
        404,
        ctx -> {
          if (ctx.result() == null || ctx.result().isEmpty()) {
            JsonApi.error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
          }
        });
    app.error(
        405,
        ctx -> JsonApi.error(ctx, 405, "method not allowed: " + ctx.method() + " " + ctx.path()));
    app.start(host, port);
    return app.port();
  }

  private ObjectNode health() {
    ObjectNode n = Json.LINE.createObjectNode();
    n.put("status", draining ? "draining" : "ok");
    n.put("model", modelName);
    n.put("encoder", model.describe());
    n.put("reward_scale", model.scale().method());
    n.put("length_correction", model.scale().correctsLength());
    n.put("api_key_required", apiKey != null);
    n.put("in_flight", inFlight.get());
    return n;
  }

  private ArrayNode array(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      throw new Refused(400, "field '" + field + "': missing; expected an array");
    }
    if (!value.isArray()) {
      throw new Refused(
          400, "field '" + field + "': expected an array, got " + JsonApi.type(value));
    }
    if (value.size() > limits.maxTexts()) {
      throw new Refused(
          413,
          "field '"
              + field
              + "': "
              + value.size()
              + " items, more than the limit of "
              + limits.maxTexts()
              + " per request");
    }
    return (ArrayNode) value;
  }

  private double[] rewards(List<ResponseInput> inputs) throws Exception {
    try {
      return scorer.submit(inputs).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
    }
  }

  private void getReward(Context ctx) throws Exception {
    JsonNode body = JsonApi.object(ctx);
    ArrayNode queries = array(body, "query");
    ArrayNode prompts = body.hasNonNull("prompts") ? array(body, "prompts") : null;
    if (prompts != null && prompts.size() != queries.size()) {
      throw new Refused(
          400, "field 'prompts': " + prompts.size() + " items, but 'query' has " + queries.size());
    }
    // OpenRLHF sends each sample's label (a reference answer, for rule-based rewards); a learned
    // RM does not use it, but a malformed one is still the caller's error.
    ArrayNode labels = body.hasNonNull("labels") ? array(body, "labels") : null;
    if (labels != null && labels.size() != queries.size()) {
      throw new Refused(
          400, "field 'labels': " + labels.size() + " items, but 'query' has " + queries.size());
    }
    List<ResponseInput> inputs = new ArrayList<>(queries.size());
    for (int i = 0; i < queries.size(); i++) {
      String prompt = prompts == null ? null : JsonApi.string(prompts.get(i), "prompts[" + i + "]");
      QuerySplitter.Split split =
          QuerySplitter.split(JsonApi.string(queries.get(i), "query[" + i + "]"), prompt);
      if (!split.recognized()) {
        metrics.unsplit.inc();
      }
      inputs.add(split.input());
    }
    double[] raw = rewards(inputs);
    // As OpenRLHF's own reward server answers: rewards, the same values as scores (what its
    // dynamic filtering reads), and per-sample extra_logs that the trainer logs; response length
    // shows a policy drifting toward longer answers.
    ObjectNode out = Json.LINE.createObjectNode();
    ArrayNode r = out.putArray("rewards");
    ArrayNode s = out.putArray("scores");
    ObjectNode logs = out.putObject("extra_logs");
    ArrayNode rawLog = logs.putArray("raw_reward");
    ArrayNode chars = logs.putArray("response_chars");
    for (int i = 0; i < raw.length; i++) {
      double v = model.scaled(raw[i], inputs.get(i));
      r.add(v);
      s.add(v);
      rawLog.add(raw[i]);
      chars.add(inputs.get(i).response().length());
    }
    ctx.json(out);
  }

  private List<ResponseInput> pairs(JsonNode body, String... responseFields) {
    ArrayNode pairs = array(body, "pairs");
    if ((long) pairs.size() * responseFields.length > limits.maxTexts()) {
      throw new Refused(
          413,
          "field 'pairs': "
              + pairs.size() * responseFields.length
              + " texts, more than the limit of "
              + limits.maxTexts()
              + " per request");
    }
    List<ResponseInput> inputs = new ArrayList<>();
    for (int i = 0; i < pairs.size(); i++) {
      JsonNode p = pairs.get(i);
      String at = "pairs[" + i + "]";
      if (!p.isObject()) {
        throw new Refused(400, "field '" + at + "': expected an object");
      }
      var prompt = parsePrompt(p.get("prompt"), at + ".prompt");
      for (String f : responseFields) {
        inputs.add(new ResponseInput(prompt, JsonApi.string(p.get(f), at + "." + f)));
      }
    }
    return inputs;
  }

  private static org.ser4j.data.Prompt parsePrompt(JsonNode value, String path) {
    try {
      return Prompts.parse(value, path);
    } catch (IllegalArgumentException e) {
      throw new Refused(400, e.getMessage());
    }
  }

  private void score(Context ctx) throws Exception {
    List<ResponseInput> inputs = pairs(JsonApi.object(ctx), "response");
    double[] raw = rewards(inputs);
    ObjectNode out = Json.LINE.createObjectNode();
    ArrayNode r = out.putArray("rewards");
    for (int i = 0; i < raw.length; i++) {
      r.add(model.scaled(raw[i], inputs.get(i)));
    }
    ctx.json(out);
  }

  private void compare(Context ctx) throws Exception {
    List<ResponseInput> inputs = pairs(JsonApi.object(ctx), "a", "b");
    double[] raw = rewards(inputs);
    ObjectNode out = Json.LINE.createObjectNode();
    ArrayNode p = out.putArray("probabilities");
    ArrayNode ra = out.putArray("rewards_a");
    ArrayNode rb = out.putArray("rewards_b");
    for (int i = 0; i < raw.length; i += 2) {
      ResponseInput a = inputs.get(i);
      ResponseInput b = inputs.get(i + 1);
      p.add(HeadModel.probability(model.corrected(raw[i], a), model.corrected(raw[i + 1], b)));
      ra.add(model.scaled(raw[i], a));
      rb.add(model.scaled(raw[i + 1], b));
    }
    ctx.json(out);
  }

  /**
   * Graceful stop: new requests get 503, requests in flight finish (up to {@code timeoutMillis}),
   * then the server stops.
   */
  public void stop(long timeoutMillis) throws InterruptedException {
    draining = true;
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    if (app != null) {
      app.stop();
    }
    scorer.close();
  }

  @Override
  public void close() {
    try {
      stop(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
