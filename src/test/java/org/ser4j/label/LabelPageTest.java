package org.ser4j.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.ser4j.cli.SerCli;
import org.ser4j.testing.Browser;
import org.ser4j.util.Json;

/**
 * The labeling page in headless Chromium: labels given with the keyboard, an undo, hostile answers
 * shown as text, two people at once, and a server killed with kill -9 and started again.
 */
class LabelPageTest {
  static final String SCRIPT = "<script>window.__pwned = 'script'</script>";
  static final String IMG = "<img src=x onerror=\"window.__pwned = 'img'\">";

  @TempDir Path dir;

  /** Four pairs: a hostile one, a conversation with code, two plain ones. */
  Path queue() throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add(
        record(
            "hostile",
            Json.LINE.getNodeFactory().textNode("Say something."),
            SCRIPT + " hello",
            IMG + " world"));
    var turns = Json.LINE.createArrayNode();
    turns.addObject().put("role", "user").put("content", "How do I print in Java?");
    turns.addObject().put("role", "assistant").put("content", "In which context?");
    turns.addObject().put("role", "user").put("content", "A console program.");
    lines.add(
        record(
            "conversation",
            turns,
            "Use System.out:\n\n```java\nSystem.out.println(\"hi\");\n```\n\nThat prints a line.",
            "Just print it."));
    lines.add(
        record(
            "plain-1",
            Json.LINE.getNodeFactory().textNode("Capital of France?"),
            "Paris.",
            "Lyon."));
    lines.add(record("plain-2", Json.LINE.getNodeFactory().textNode("2 + 2?"), "4", "5"));
    Path q = dir.resolve("queue.jsonl");
    Files.write(q, lines);
    return q;
  }

  static String record(String id, JsonNode prompt, String a, String b) {
    ObjectNode n = Json.LINE.createObjectNode();
    n.put("id", id);
    n.set("prompt", prompt);
    n.put("response_a", a);
    n.put("response_b", b);
    return n.toString();
  }

  LabelServer serve(Path queue, Path out, int overlap) throws IOException {
    LabelDesk desk =
        LabelDesk.open(LabelQueue.read(queue), out, overlap, 600_000, 3, System::currentTimeMillis);
    return new LabelServer(
        desk, "Prefer the answer that is correct and helpful.\nIgnore length.", null);
  }

  static WebDriverWait waiting(ChromeDriver d) {
    return new WebDriverWait(d, Duration.ofSeconds(20));
  }

  /** Opens the page and signs in as {@code name}; returns the first pair's id. */
  static String begin(ChromeDriver d, String url, String name) {
    d.get(url);
    waiting(d).until(x -> "name-form".equals(state(d)) || "task".equals(state(d)));
    if ("name-form".equals(state(d))) {
      d.findElement(By.id("name-input")).sendKeys(name + "\n");
    }
    waiting(d).until(x -> "task".equals(state(d)) || "done".equals(state(d)));
    return pairId(d);
  }

  static String state(ChromeDriver d) {
    return (String) d.executeScript("return document.body.dataset.state || null;");
  }

  static String pairId(ChromeDriver d) {
    return (String) d.executeScript("return document.body.dataset.pairId || null;");
  }

  /** Presses {@code key} and waits until the page shows something other than {@code before}. */
  static String press(ChromeDriver d, CharSequence key, String before) {
    new Actions(d).sendKeys(key).perform();
    waiting(d)
        .until(
            x ->
                !d.findElement(By.tagName("body")).getAttribute("class").contains("saving")
                    && (!java.util.Objects.equals(pairId(d), before) || "done".equals(state(d))));
    return pairId(d);
  }

  static List<JsonNode> labels(Path out) throws IOException {
    List<JsonNode> out2 = new ArrayList<>();
    for (String line : Files.readAllLines(out)) {
      out2.add(Json.LINE.readTree(line));
    }
    return out2;
  }

  @Test
  void labelsWithTheKeyboardUndoesOneAndShowsHostileAnswersAsText() throws Exception {
    Path out = dir.resolve("labels.jsonl");
    try (LabelServer server = serve(queue(), out, 1)) {
      String url = "http://127.0.0.1:" + server.start("127.0.0.1", 0) + "/";
      ChromeDriver d = Browser.open();
      try {
        assertEquals("hostile", begin(d, url, "ann"));
        // The hostile answers are text on the page; no element came from them and nothing ran.
        String page = d.findElement(By.id("task")).getText();
        assertTrue(page.contains(SCRIPT) && page.contains(IMG), page);
        assertEquals(
            0L,
            d.executeScript("return document.querySelectorAll('#task script, #task img').length;"));
        assertNull(d.executeScript("return window.__pwned || null;"));
        assertTrue(
            d.findElement(By.id("guidelines-text"))
                .getAttribute("textContent")
                .contains("Ignore length."));

        boolean aLeft = d.findElement(By.id("left-text")).getText().contains("hello");
        String second = press(d, "1", "hostile"); // answer 1 (the left one) is better
        assertEquals("conversation", second);
        assertEquals(1, labels(out).size(), "on disk before the next pair showed");
        assertEquals(aLeft ? "a" : "b", labels(out).get(0).get("preferred").textValue());
        assertEquals(aLeft ? "a" : "b", labels(out).get(0).get("shown_left").textValue());
        assertEquals("ann", labels(out).get(0).get("annotator").textValue());
        // The conversation shows as turns, the code block as code, line breaks kept.
        assertEquals(
            3L, d.executeScript("return document.querySelectorAll('#prompt .turn').length;"));
        assertEquals(
            1L, d.executeScript("return document.querySelectorAll('#task pre code').length;"));
        saveScreenshot(d);

        String third = press(d, Keys.ARROW_RIGHT, "conversation"); // answer 2
        assertEquals("plain-1", third);
        assertEquals(2, labels(out).size());
        assertEquals("conversation", press(d, "u", "plain-1"), "undo shows the pair again");
        assertEquals(1, labels(out).size(), "and takes its label out of the file");
        assertEquals("plain-1", press(d, "3", "conversation")); // a tie this time
        assertEquals("plain-2", press(d, "s", "plain-1")); // skip
        press(d, "2", "plain-2");
        assertEquals("done", state(d));
        List<String> got =
            labels(out).stream()
                .map(n -> n.get("id").textValue() + "=" + n.get("preferred").textValue())
                .toList();
        assertEquals(4, got.size(), got.toString());
        assertTrue(
            got.get(1).equals("conversation=tie") && got.get(2).equals("plain-1=skip"),
            got.toString());
        assertTrue(
            d.findElement(By.id("progress")).getText().contains("labeled by you: 4"),
            d.findElement(By.id("progress")).getText());
        // The status page shows the counts.
        d.get(url + "status");
        waiting(d).until(x -> d.findElements(By.cssSelector("#annotators tbody tr")).size() == 1);
        assertEquals("ann", d.findElement(By.cssSelector("#annotators tbody td")).getText());
      } finally {
        d.quit();
      }
    }
  }

  @Test
  void aLabelPostedFromAPageOnAnotherOriginIsRefused() throws Exception {
    Path out = dir.resolve("labels.jsonl");
    try (LabelServer server = serve(queue(), out, 1)) {
      String api = "http://127.0.0.1:" + server.start("127.0.0.1", 0) + "/api/label";
      // A hostile page (here a local file: another origin) tries a form post and a no-cors fetch.
      Path evil = dir.resolve("evil.html");
      Files.writeString(
          evil,
          "<!doctype html><form id=f method=post action='"
              + api
              + "' enctype='text/plain'>"
              + "<input name='{\"annotator\":\"evil\",\"id\":\"hostile\",\"choice\":\"left\",\"x\":\"' value='\"}'>"
              + "</form><script>"
              + "fetch('"
              + api
              + "', {method: 'POST', mode: 'no-cors', headers: {'Content-Type': 'text/plain'},"
              + " body: JSON.stringify({annotator: 'evil', id: 'plain-1', choice: 'left'})})"
              + ".finally(() => { document.title = 'sent'; document.getElementById('f').submit(); });"
              + "</script>");
      ChromeDriver d = Browser.open();
      try {
        d.get(evil.toUri().toString());
        waiting(d).until(x -> d.getCurrentUrl().startsWith("http://127.0.0.1"));
        assertTrue(
            d.getPageSource().contains("refused: the request came from another site"),
            "the form reached the server and was refused: " + d.getPageSource());
      } finally {
        d.quit();
      }
      assertTrue(!Files.exists(out) || Files.readAllLines(out).isEmpty(), "nothing was written");
    }
  }

  private static void saveScreenshot(ChromeDriver d) throws IOException {
    Path target = Path.of("target", "label-page.png");
    Files.createDirectories(target.getParent());
    Files.write(target, d.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void twoPeopleAtOnceGetDisjointPairsAndWithOverlapTwoBothSeeEachPair() throws Exception {
    Path queue = queue();
    ChromeDriver alice = Browser.open();
    ChromeDriver bob = Browser.open();
    try {
      Path out = dir.resolve("labels.jsonl");
      try (LabelServer server = serve(queue, out, 1)) {
        String url = "http://127.0.0.1:" + server.start("127.0.0.1", 0) + "/";
        String a = begin(alice, url, "alice");
        String b = begin(bob, url, "bob");
        Set<String> seenA = new HashSet<>();
        Set<String> seenB = new HashSet<>();
        while (a != null || b != null) { // in turns: both hold a pair at once
          if (a != null) {
            seenA.add(a);
            a = press(alice, "1", a);
          }
          if (b != null) {
            seenB.add(b);
            b = press(bob, "1", b);
          }
        }
        assertEquals(2, seenA.size());
        assertEquals(2, seenB.size());
        Set<String> both = new HashSet<>(seenA);
        both.retainAll(seenB);
        assertTrue(both.isEmpty(), "alice " + seenA + ", bob " + seenB);
        assertEquals("done", state(alice));
        assertEquals("done", state(bob));
      }
      Path out2 = dir.resolve("labels-overlap.jsonl");
      try (LabelServer server = serve(queue, out2, 2)) {
        String url = "http://127.0.0.1:" + server.start("127.0.0.1", 0) + "/";
        String a = begin(alice, url, "alice");
        String b = begin(bob, url, "bob");
        List<String> seenA = new ArrayList<>();
        List<String> seenB = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // in turns, so both hold pairs at once
          seenA.add(a);
          a = press(alice, "1", a);
          seenB.add(b);
          b = press(bob, "2", b);
        }
        assertEquals(Set.of("hostile", "conversation", "plain-1", "plain-2"), new HashSet<>(seenA));
        assertEquals(new HashSet<>(seenA), new HashSet<>(seenB));
        assertEquals(8, labels(out2).size());
      }
    } finally {
      alice.quit();
      bob.quit();
    }
  }

  @Test
  void afterKillNineTheServerRestartsAndTheAnnotatorContinuesWhereTheyStopped() throws Exception {
    Path queue = queue();
    Path out = dir.resolve("labels.jsonl");
    ChromeDriver d = Browser.open(); // first: without a browser the test ends before a server runs
    Process first = null;
    try {
      first = start(queue, out, 0);
      int port = port(first);
      String url = "http://127.0.0.1:" + port + "/";
      String id = begin(d, url, "ann");
      id = press(d, "1", id);
      id = press(d, "2", id);
      assertEquals(2, labels(out).size());
      first.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertTrue(first.waitFor(20, TimeUnit.SECONDS));
      Process second = start(queue, out, port);
      try {
        port(second);
        d.navigate().refresh();
        waiting(d).until(x -> "task".equals(state(d)));
        assertEquals(id, pairId(d), "the pair after the last one labeled, not a labeled one again");
        press(d, "1", id);
        List<JsonNode> labels = labels(out);
        assertEquals(3, labels.size());
        assertEquals(
            3, labels.stream().map(n -> n.get("id").textValue()).distinct().count(), "none twice");
      } finally {
        second.destroyForcibly();
        second.waitFor(20, TimeUnit.SECONDS);
      }
    } finally {
      d.quit();
      if (first != null) {
        first.destroyForcibly();
        first.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  private static Process start(Path queue, Path out, int port) throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            SerCli.class.getName(),
            "label",
            "--queue",
            queue.toString(),
            "--out",
            out.toString(),
            "--port",
            String.valueOf(port))
        .redirectErrorStream(true)
        .start();
  }

  private static final Pattern LISTENING = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/");

  /** Reads the server's output until it says where it listens. */
  private static int port(Process p) throws IOException {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    String line;
    while ((line = r.readLine()) != null) {
      seen.append(line).append('\n');
      Matcher m = LISTENING.matcher(line);
      if (m.find()) {
        Thread drain = new Thread(() -> r.lines().forEach(l -> {}));
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(m.group(1));
      }
    }
    throw new IllegalStateException("the server stopped before listening:\n" + seen);
  }
}
