package org.ser4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.eval.HtmlPage;
import org.ser4j.testing.Browser;
import org.ser4j.testing.TestEncoders;

/**
 * A run's report.html, opened in a real headless browser: its loop table says what report.json
 * says, the kept loop is marked, every plot renders, and nothing is fetched from outside.
 */
class ReportPageTest {
  @TempDir Path dir;

  @Test
  void theRunPageShowsTheReportAndItsPlots() throws Exception {
    Path[] files = CliTest.hhSplit(dir, 400, 80);
    Path run = dir.resolve("run");
    CliTest.Result r =
        CliTest.run(
            "evolve",
            "--train",
            files[0].toString(),
            "--test",
            files[1].toString(),
            "--encoder",
            "minilm-l6-q",
            "--max-loops",
            "2",
            "--quiet",
            "--cache",
            TestEncoders.CACHE.toString(),
            "--out",
            run.toString());
    assertEquals(0, r.code(), r.err());
    Path html = run.resolve("report.html");
    String text = Files.readString(html);
    assertFalse(text.contains("http://") || text.contains("https://"), "opens offline");

    JsonNode report = new ObjectMapper().readTree(run.resolve("report.json").toFile());
    Browser.Shown shown = Browser.show(html);
    List<List<String>> rows = shown.tables().get("loops");
    JsonNode loops = report.get("loops");
    assertEquals(loops.size(), rows.size(), "one row per loop");
    for (int i = 0; i < rows.size(); i++) {
      JsonNode l = loops.get(i);
      List<String> row = rows.get(i);
      assertEquals(l.get("loop").asText(), row.get(0));
      assertEquals(l.get("status").asText(), row.get(1));
      assertEquals(l.get("selected").asText(), row.get(2));
      assertEquals(HtmlPage.cell(l.get("self_label_precision")), row.get(4));
      assertEquals(HtmlPage.cell(l.get("validation_accuracy")), row.get(8));
      assertEquals(HtmlPage.cell(l.get("test_accuracy")), row.get(9));
    }
    assertEquals(report.get("final_loop").asText(), shown.keptRow(), "the kept loop is marked");
    assertFalse(shown.imageWidths().isEmpty(), "the page has its plot");
    for (long w : shown.imageWidths()) {
      assertTrue(w > 0, "every image renders: " + shown.imageWidths());
    }
  }
}
