package org.ser4j.label;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.ser4j.data.Turn;
import org.ser4j.util.ApiKey;
import org.ser4j.util.Json;
import org.ser4j.util.JsonApi;
import org.ser4j.util.JsonApi.Refused;

/**
 * The labeling page over HTTP (Javalin, as `ser serve`). The page is plain HTML, CSS and JavaScript
 * from the jar; it asks POST /api/next for a pair and POST /api/label to record an answer, which
 * returns only once the label is on disk, with the next pair. Model output is untrusted text: the
 * page only ever sets it as text, every response carries a Content-Security-Policy that allows no
 * inline or foreign script, a POST from another origin is refused, and a malformed or oversized
 * body gets 400 and changes nothing. With a key, the API wants a session cookie (HttpOnly,
 * SameSite=Strict) that POST /api/login hands out for the key, or the key as a Bearer header.
 */
public final class LabelServer implements AutoCloseable {
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
          + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  static final String COOKIE = "ser_label_session";

  /** Largest body a POST may carry: a label is a few hundred bytes. */
  static final int MAX_BODY = 16 * 1024;

  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._@-]{1,64}");
  private static final Map<String, String> PAGES =
      Map.of(
          "/", "index.html",
          "/label.js", "label.js",
          "/label.css", "label.css",
          "/status", "status.html",
          "/status.js", "status.js");

  private final LabelDesk desk;
  private final String guidelines;
  private final ApiKey key;
  private final Set<String> sessions = ConcurrentHashMap.newKeySet();
  private final SecureRandom random = new SecureRandom();
  private Javalin app;

  /**
   * @param guidelines shown on the page as text (null: none)
   * @param key required on the API when not null
   */
  public LabelServer(LabelDesk desk, String guidelines, ApiKey key) {
    this.desk = desk;
    this.guidelines = guidelines;
    this.key = key;
  }

  /** Starts on {@code host:port} (port 0: any free port); returns the port. */
  public int start(String host, int port) {
    app =
        Javalin.create(
            cfg -> {
              cfg.showJavalinBanner = false;
              cfg.http.maxRequestSize = MAX_BODY;
            });
    app.before(this::guard);
    PAGES.forEach((path, file) -> app.get(path, ctx -> page(ctx, file)));
    app.get("/api/session", this::session);
    app.post("/api/login", this::login);
    app.post("/api/next", ctx -> ctx.result(answer(ctx, desk.next(annotator(body(ctx))))));
    app.post("/api/label", this::label);
    app.post("/api/undo", this::undo);
    app.get("/api/stats", ctx -> json(ctx, stats()));
    JsonApi.handleErrors(app);
    app.exception( // an oversized body is the client's malformed request here, as in guard()
        HttpResponseException.class,
        (e, ctx) -> JsonApi.error(ctx, e.getStatus() == 413 ? 400 : e.getStatus(), e.getMessage()));
    app.error(
        404, ctx -> JsonApi.error(ctx, 404, "no such page: " + ctx.method() + " " + ctx.path()));
    app.start(host, port);
    return app.port();
  }

  /** Headers on every answer; the origin, size and key checks on the API. */
  private void guard(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
    if (ctx.method() == HandlerType.POST) {
      sameOrigin(ctx);
      String type = ctx.contentType();
      if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
        throw new Refused(400, "expected Content-Type: application/json");
      }
      if (ctx.contentLength() > MAX_BODY) {
        throw new Refused(400, "body larger than " + MAX_BODY + " bytes");
      }
    }
    String path = ctx.path();
    if (key != null
        && path.startsWith("/api/")
        && !path.equals("/api/session")
        && !path.equals("/api/login")
        && !signedIn(ctx)) {
      throw new Refused(401, "enter the access key first");
    }
  }

  /**
   * A browser names the page that sent a request in Origin (and Sec-Fetch-Site); a label posted
   * from a page on another origin is refused. Scripts that send neither are judged by the key.
   */
  private static void sameOrigin(Context ctx) {
    String site = ctx.header("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      throw new Refused(403, "refused: the request came from another site (" + site + ")");
    }
    String origin = ctx.header("Origin");
    String host = ctx.header("Host");
    if (origin != null
        && !(host != null
            && (origin.equals("http://" + host) || origin.equals("https://" + host)))) {
      throw new Refused(403, "refused: the request came from another origin (" + origin + ")");
    }
  }

  private boolean signedIn(Context ctx) {
    String cookie = ctx.cookie(COOKIE);
    return (cookie != null && sessions.contains(cookie))
        || key.accepts(ctx.header("Authorization"), ctx.header("X-API-Key"));
  }

  private void page(Context ctx, String file) throws IOException {
    try (InputStream in = LabelServer.class.getResourceAsStream("web/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing resource web/" + file);
      }
      String type =
          file.endsWith(".js")
              ? "text/javascript"
              : file.endsWith(".css") ? "text/css" : "text/html";
      ctx.contentType(type + "; charset=utf-8").result(in.readAllBytes());
    }
  }

  private void session(Context ctx) throws JsonProcessingException {
    ObjectNode n = Json.LINE.createObjectNode();
    boolean in = key == null || signedIn(ctx);
    n.put("key_required", key != null);
    n.put("signed_in", in);
    if (in) {
      n.put("guidelines", guidelines);
      n.put("overlap", desk.overlap());
      n.put("pairs", desk.queue().size());
    }
    json(ctx, n);
  }

  private void login(Context ctx) throws JsonProcessingException {
    JsonNode body = body(ctx);
    if (key == null) {
      throw new Refused(400, "this server needs no key");
    }
    if (!key.accepts(null, text(body, "key", 4096))) {
      throw new Refused(401, "wrong key");
    }
    byte[] token = new byte[32];
    random.nextBytes(token);
    String session = Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    sessions.add(session);
    ctx.header("Set-Cookie", COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Strict");
    json(ctx, Json.LINE.createObjectNode().put("signed_in", true));
  }

  private void label(Context ctx) throws IOException {
    JsonNode body = body(ctx);
    String annotator = annotator(body);
    String id = text(body, "id", 1024);
    if (desk.queue().position(id) < 0) {
      throw new Refused(400, "field 'id': no pair \"" + id + "\" in the queue");
    }
    LabelDesk.Shown shown = desk.shown(annotator, id);
    Choice choice =
        switch (text(body, "choice", 16)) {
          case "left" -> shown.aLeft() ? Choice.A : Choice.B;
          case "right" -> shown.aLeft() ? Choice.B : Choice.A;
          case "tie" -> Choice.TIE;
          case "skip" -> Choice.SKIP;
          default ->
              throw new Refused(
                  400, "field 'choice': expected \"left\", \"right\", \"tie\" or \"skip\"");
        };
    LabelDesk.Saved saved = desk.label(annotator, id, choice);
    ctx.result(answer(ctx, saved.next()));
  }

  private void undo(Context ctx) throws IOException {
    String annotator = annotator(body(ctx));
    LabelDesk.Saved undone = desk.undo(annotator);
    if (!undone.written()) {
      throw new Refused(409, "nothing to undo");
    }
    ctx.result(answer(ctx, undone.next()));
  }

  /** The pair to show (or {"done": true}) with the annotator's progress. */
  private String answer(Context ctx, LabelDesk.Shown shown) throws JsonProcessingException {
    ctx.contentType("application/json");
    String annotator = annotator(body(ctx));
    ObjectNode n = Json.LINE.createObjectNode();
    if (shown == null) {
      n.put("done", true);
    } else {
      ObjectNode p = n.putObject("pair");
      p.put("id", shown.pair().id());
      ArrayNode turns = p.putArray("turns");
      for (Turn t : shown.pair().prompt().turns()) {
        turns
            .addObject()
            .put("role", t.role().name().toLowerCase(java.util.Locale.ROOT))
            .put("text", t.content());
      }
      p.put("left", shown.left());
      p.put("right", shown.right());
    }
    LabelDesk.Progress progress = desk.progress(annotator);
    ObjectNode g = n.putObject("progress");
    g.put("yours", progress.yours());
    g.put("pairs_done", progress.pairsDone());
    g.put("pairs", progress.pairs());
    return Json.LINE.writeValueAsString(n);
  }

  private ObjectNode stats() {
    return statsJson(desk);
  }

  /** The desk's figures as JSON (the status page and `ser label --stats` show the same). */
  public static ObjectNode statsJson(LabelDesk desk) {
    Agreement.Stats s = Agreement.of(desk.annotations());
    LabelDesk.Progress progress = desk.progress("");
    int overlap = desk.overlap();
    ObjectNode n = Json.LINE.createObjectNode();
    n.put("pairs", progress.pairs());
    n.put("overlap", overlap);
    n.put("pairs_done", progress.pairsDone());
    n.put("labels", progress.labels());
    n.put("pairs_labeled", s.pairsLabeled());
    n.put("pairs_with_several_labels", s.pairsWithSeveral());
    n.put("pairs_disagreed", s.disagreements());
    n.put("comparisons", s.comparisons());
    putOrNull(
        n, "percent_agreement", s.percentAgreement() == null ? null : 100 * s.percentAgreement());
    putOrNull(n, "cohens_kappa", s.kappa());
    n.put("decisive_labels", s.decisive());
    putOrNull(n, "left_share", s.leftShare());
    if (s.leftInterval() != null) {
      n.putArray("left_share_95").add(s.leftInterval()[0]).add(s.leftInterval()[1]);
    }
    ObjectNode people = n.putObject("annotators");
    s.people()
        .forEach(
            (name, p) ->
                people
                    .putObject(name)
                    .put("labels", p.labels())
                    .put("a", p.a())
                    .put("b", p.b())
                    .put("tie", p.tie())
                    .put("skip", p.skip()));
    ArrayNode couples = n.putArray("couples");
    for (Agreement.Couple c : s.couples()) {
      ObjectNode o = couples.addObject();
      o.put("first", c.first()).put("second", c.second()).put("shared", c.shared());
      o.put("percent_agreement", 100 * c.agreement());
      putOrNull(o, "cohens_kappa", c.kappa());
    }
    return n;
  }

  private static void putOrNull(ObjectNode n, String field, Double v) {
    if (v == null) {
      n.putNull(field);
    } else {
      n.put(field, v);
    }
  }

  private static JsonNode body(Context ctx) {
    if (ctx.bodyAsBytes().length > MAX_BODY) { // a body sent without its length
      throw new Refused(400, "body larger than " + MAX_BODY + " bytes");
    }
    return JsonApi.object(ctx);
  }

  private static String annotator(JsonNode body) {
    String name = text(body, "annotator", 64).strip();
    if (!NAME.matcher(name).matches()) {
      throw new Refused(400, "field 'annotator': 1 to 64 letters, digits, spaces or . _ @ -");
    }
    return name;
  }

  private static String text(JsonNode body, String field, int max) {
    String v = JsonApi.string(body.get(field), field);
    if (v.length() > max) {
      throw new Refused(400, "field '" + field + "': longer than " + max + " characters");
    }
    return v;
  }

  private static void json(Context ctx, JsonNode n) throws JsonProcessingException {
    ctx.contentType("application/json").result(Json.LINE.writeValueAsString(n));
  }

  /** Stops taking requests; labels already confirmed are on disk. */
  @Override
  public void close() {
    if (app != null) {
      app.stop();
    }
  }
}
