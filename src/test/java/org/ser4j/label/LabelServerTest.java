package org.ser4j.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.cli.SerCli;
import org.ser4j.util.ApiKey;
import org.ser4j.util.Json;
import picocli.CommandLine;

/** The labeling server over real HTTP: what it refuses, the key, and 20 annotators at once. */
class LabelServerTest {
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();
  LabelDesk desk;
  LabelServer server;
  String base;

  void start(int pairs, int overlap, ApiKey key) throws Exception {
    desk =
        LabelDesk.open(
            LabelQueue.read(LabelDeskTest.queue(dir, pairs)),
            dir.resolve("labels.jsonl"),
            overlap,
            600_000,
            1,
            System::currentTimeMillis);
    server = new LabelServer(desk, "Prefer the helpful answer.", key);
    base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
      desk.close();
    }
  }

  HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length == 0) {
      b.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  long lines() throws Exception {
    Path out = dir.resolve("labels.jsonl");
    return Files.exists(out) ? Files.readAllLines(out).size() : 0;
  }

  @Test
  void everyAnswerCarriesAContentSecurityPolicyAndPagesComeFromTheJar() throws Exception {
    start(2, 1, null);
    for (String path :
        List.of("/", "/label.js", "/label.css", "/status", "/status.js", "/api/session")) {
      HttpResponse<String> r = get(path);
      assertEquals(200, r.statusCode(), path);
      String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
      assertTrue(
          csp.contains("script-src 'self'") && csp.contains("default-src 'none'"),
          path + ": " + csp);
      assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
    }
    assertFalse(
        get("/").body().contains("<script>"), "no inline script: the policy would block it");
  }

  @Test
  void postsFromAnotherOriginMalformedOrOversizedAreRefusedAndChangeNothing() throws Exception {
    start(3, 1, null);
    String label = "{\"annotator\":\"ann\",\"id\":\"q0\",\"choice\":\"left\"}";
    assertEquals(200, post("/api/label", label).statusCode());
    assertEquals(1, lines());
    String other = "{\"annotator\":\"bob\",\"id\":\"q1\",\"choice\":\"left\"}";
    HttpResponse<String> r =
        post(
            "/api/label",
            other,
            "Content-Type",
            "application/json",
            "Origin",
            "http://evil.example");
    assertEquals(403, r.statusCode(), r.body());
    assertEquals(
        403,
        post(
                "/api/label",
                other,
                "Content-Type",
                "application/json",
                "Sec-Fetch-Site",
                "cross-site")
            .statusCode());
    assertEquals(
        400,
        post(
                "/api/label",
                "annotator=bob&id=q1&choice=left",
                "Content-Type",
                "application/x-www-form-urlencoded")
            .statusCode(),
        "a form post (which another site could send) is not JSON");
    for (String bad :
        List.of(
            "{\"annotator\":\"bob\",\"id\":\"q1\"",
            "[1,2]",
            "{\"annotator\":\"bob\",\"id\":\"q1\",\"choice\":\"middle\"}",
            "{\"annotator\":\"bob\",\"id\":\"nope\",\"choice\":\"left\"}",
            "{\"annotator\":\"<b>\",\"id\":\"q1\",\"choice\":\"left\"}",
            "{\"annotator\":\"bob\",\"id\":\"q1\",\"choice\":\"left\",\"pad\":\""
                + "x".repeat(40_000)
                + "\"}")) {
      HttpResponse<String> b = post("/api/label", bad);
      assertEquals(
          400, b.statusCode(), bad.substring(0, Math.min(60, bad.length())) + ": " + b.body());
      assertTrue(b.body().startsWith("{\"error\":"), b.body());
    }
    assertEquals(1, lines(), "nothing refused was written");
    assertEquals(
        200,
        post("/api/label", other, "Content-Type", "application/json", "Origin", base).statusCode(),
        "the page's own origin is welcome");
    assertEquals(2, lines());
  }

  @Test
  void withAKeyTheApiWantsTheCookieThatLoginHandsOut() throws Exception {
    start(2, 1, ApiKey.of("s3cret"));
    assertEquals(401, post("/api/next", "{\"annotator\":\"ann\"}").statusCode());
    assertEquals(401, get("/api/stats").statusCode());
    assertEquals(401, post("/api/login", "{\"key\":\"wrong\"}").statusCode());
    HttpResponse<String> session = get("/api/session");
    assertTrue(session.body().contains("\"signed_in\":false"), session.body());
    assertFalse(session.body().contains("Prefer the helpful"), "no guidelines before the key");
    HttpResponse<String> login = post("/api/login", "{\"key\":\"s3cret\"}");
    assertEquals(200, login.statusCode());
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
    assertFalse(cookie.contains("s3cret"), "the cookie is a session, not the key");
    String value = cookie.substring(0, cookie.indexOf(';'));
    HttpResponse<String> next =
        post(
            "/api/next",
            "{\"annotator\":\"ann\"}",
            "Content-Type",
            "application/json",
            "Cookie",
            value);
    assertEquals(200, next.statusCode(), next.body());
    assertEquals(
        200,
        post(
                "/api/next",
                "{\"annotator\":\"bob\"}",
                "Content-Type",
                "application/json",
                "Authorization",
                "Bearer s3cret")
            .statusCode(),
        "scripts may send the key itself");
    assertEquals(200, get("/api/stats", "Cookie", value).statusCode());
  }

  @Test
  void twentyAnnotatorsAtOnceLoseAndDuplicateNothing() throws Exception {
    start(3000, 1, null);
    LabelLoad.Result r = LabelLoad.run(base, dir.resolve("labels.jsonl"), 20, 3, 0.05);
    assertTrue(r.confirmed() > 100, "they labeled: " + r);
    assertTrue(r.undos() > 0, "undos happened under load: " + r);
    assertEquals(0, r.lost(), r.toString());
    assertEquals(0, r.extra(), r.toString());
    assertEquals(0, r.duplicates(), r.toString());
    assertEquals(0, r.sharedPairs(), "overlap 1: no pair labeled twice: " + r);
    assertEquals(r.confirmed(), r.fileLines());
  }

  @Test
  void theStatsEndpointAndTheCommandAgree() throws Exception {
    start(2, 2, null);
    for (String[] l :
        new String[][] {
          {"ann", "q0", "left"}, {"bob", "q0", "left"}, {"ann", "q1", "tie"}, {"bob", "q1", "skip"}
        }) {
      post(
          "/api/label",
          Json.LINE.writeValueAsString(Map.of("annotator", l[0], "id", l[1], "choice", l[2])));
    }
    var web = Json.LINE.readTree(get("/api/stats").body());
    assertEquals(4, web.get("labels").asInt());
    assertEquals(1, web.get("pairs_with_several_labels").asInt());
    assertTrue(web.get("annotators").has("ann"));
    server.close();
    desk.close();
    server = null;
    StringWriter out = new StringWriter();
    CommandLine cli = SerCli.commandLine();
    cli.setOut(new java.io.PrintWriter(out));
    int rc =
        cli.execute(
            "label",
            "--queue",
            dir.resolve("queue.jsonl").toString(),
            "--out",
            dir.resolve("labels.jsonl").toString(),
            "--overlap",
            "2",
            "--stats");
    assertEquals(0, rc, out.toString());
    var cmd = Json.LINE.readTree(out.toString());
    assertEquals(web, cmd);
  }

  @Test
  void beyondLoopbackAKeyIsRequired() throws Exception {
    LabelDeskTest.queue(dir, 1);
    StringWriter err = new StringWriter();
    CommandLine cli = SerCli.commandLine();
    cli.setErr(new java.io.PrintWriter(err));
    int rc =
        cli.execute(
            "label",
            "--queue",
            dir.resolve("queue.jsonl").toString(),
            "--out",
            dir.resolve("labels.jsonl").toString(),
            "--host",
            "0.0.0.0");
    assertNotEquals(0, rc);
    assertTrue(err.toString().contains("--api-key-file"), err.toString());
  }
}
