package org.ser4j.ser;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ser4j.eval.HtmlPage;
import org.ser4j.eval.Plots;
import org.ser4j.util.Json;

/**
 * A run's report.html, from the files of its directory (report.json, run.json, final/config.json):
 * what was kept and why, the loops, their plot, the settings and provenance, links to the files.
 * One page that opens offline; written when the run stops.
 */
public final class RunReportPage {
  public static final String FILE = "report.html";
  static final String PLOT = "loops.png";

  private RunReportPage() {}

  /** Writes {@code dir}/loops.png and {@code dir}/report.html. */
  public static void write(Path dir) throws IOException {
    JsonNode report = Json.CANONICAL.readTree(dir.resolve(RunStore.REPORT).toFile());
    JsonNode loops = report.path("loops");
    int kept = report.path("final_loop").asInt();
    JsonNode run =
        Files.isRegularFile(dir.resolve(RunStore.RUN))
            ? Json.CANONICAL.readTree(dir.resolve(RunStore.RUN).toFile())
            : null;
    boolean crossValidated = run != null && run.path("ser").path("decisionFolds").asInt(0) >= 2;
    plot(loops, dir.resolve(PLOT));

    HtmlPage page = new HtmlPage("SER run " + dir.toAbsolutePath().getFileName());
    JsonNode k = loops.get(kept);
    StringBuilder summary = new StringBuilder();
    summary.append(
        String.format(
            Locale.ROOT,
            "Stopped: %s. Kept loop %d, %s (%s), as final/.",
            report.path("stop_reason").asText("not yet"),
            kept,
            run != null && run.path("ser").path("keepLast").asBoolean()
                ? "the last loop (--keep last); its judged accuracy"
                : crossValidated
                    ? "the loop with the highest out-of-fold accuracy on the labeled seed"
                    : "the loop with the highest accuracy on the seed's validation slice",
            HtmlPage.cell(k.get("validation_accuracy"))));
    if (k.hasNonNull("test_accuracy")) {
      summary.append(
          String.format(
              Locale.ROOT,
              " Test accuracy %s against %s for the seed-only RM (loop 0).",
              HtmlPage.cell(k.get("test_accuracy")),
              HtmlPage.cell(loops.get(0).get("test_accuracy"))));
    } else {
      summary.append(" No test set was given.");
    }
    page.paragraph(summary.toString());

    if (run != null && run.hasNonNull("encoder_choice")) {
      encoderChoice(page, run.get("encoder_choice"));
    }

    page.heading("Loops");
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode l : loops) {
      rows.add(
          List.of(
              l.path("loop").asText(),
              l.path("status").asText(),
              l.path("selected").asText(),
              l.path("selected_total").asText(),
              HtmlPage.cell(l.get("self_label_precision")),
              HtmlPage.cell(l.get("expected_precision")),
              l.path("pool_remaining").asText(),
              l.path("train_pairs").asText(),
              HtmlPage.cell(l.get("validation_accuracy")),
              HtmlPage.cell(l.get("test_accuracy")),
              String.format(Locale.ROOT, "%.1f", l.path("seconds").asDouble())));
    }
    page.table(
        "loops",
        List.of(
            "loop",
            "status",
            "selected",
            "self-labels in all",
            "precision (gold)",
            "expected precision",
            "pool left",
            "train pairs",
            crossValidated ? "out-of-fold accuracy" : "validation accuracy",
            "test accuracy",
            "seconds"),
        rows,
        kept);
    page.paragraph(
        "Precision (gold) is the share of a loop's self-labels that agree with the hidden human labels (the experiment only); expected precision is what the RM believed (a pool nobody judged). The kept loop's row is marked.");
    page.image(dir.resolve(PLOT), "accuracy and self-label precision per loop");
    if (k.has("style_splits")) {
      styleSplits(page, loops.get(0), k, kept);
    }

    page.heading("Files");
    List<String> files = new ArrayList<>(List.of("final/", RunStore.REPORT, RunStore.RUN));
    files.add("options.properties"); // cli.SettingsFile.FILE, for --from-run
    for (int i = 0; i < loops.size(); i++) {
      files.add("loop-" + i + "/selected.jsonl");
    }
    page.links(dir, files);

    Path finalConfig = dir.resolve(RunStore.FINAL).resolve("config.json");
    if (Files.isRegularFile(finalConfig)) {
      JsonNode provenance = Json.CANONICAL.readTree(finalConfig.toFile()).path("provenance");
      if (!provenance.isMissingNode()) {
        page.heading("Provenance of final/");
        page.pre(Json.PRETTY.writeValueAsString(provenance));
      }
    }
    if (run != null) {
      page.heading("Settings (run.json)");
      page.pre(Json.PRETTY.writeValueAsString(run));
    }
    page.write(dir.resolve(FILE));
  }

  /**
   * Accuracy on each side of each style split of the test pairs, and the reward's correlation with
   * the style within prompts, for the seed-only RM and the kept one; the style head's share where
   * the run learned one (--debias).
   */
  private static void styleSplits(HtmlPage page, JsonNode seedOnly, JsonNode kept, int keptLoop) {
    page.heading("Style");
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode loop : keptLoop == 0 ? List.of(kept) : List.of(seedOnly, kept)) {
      for (JsonNode split : loop.path("style_splits")) {
        rows.add(
            List.of(
                "loop " + loop.path("loop").asText(),
                split.path("style").asText(),
                HtmlPage.cell(split.get("accuracy_chosen_more"))
                    + " ("
                    + split.path("pairs_chosen_more").asText()
                    + ")",
                HtmlPage.cell(split.get("accuracy_chosen_less"))
                    + " ("
                    + split.path("pairs_chosen_less").asText()
                    + ")",
                HtmlPage.cell(split.get("correlation")),
                HtmlPage.cell(split.get("within_prompt_correlation"))));
      }
    }
    page.table(
        "style",
        List.of(
            "RM",
            "style",
            "accuracy, chosen has more (pairs)",
            "accuracy, chosen has less (pairs)",
            "reward-style correlation",
            "within prompts"),
        rows);
    StringBuilder note =
        new StringBuilder(
            "Test pairs split by whether the chosen answer is the longer (has more markdown) or the shorter (less); a reward that favours one or the other does well on one side and badly on the other. Within prompts: the correlation after subtracting each prompt's mean reward and style.");
    JsonNode debias = kept.get("debias");
    if (debias != null) {
      note.append(
          String.format(
              Locale.ROOT,
              " This run learned %s apart (--debias): the style head took %.1f%% of the kept loop's training reward variance; the saved reward is the quality head alone.",
              debias.path("styles").toString(),
              100 * debias.path("style_share").asDouble()));
    }
    page.paragraph(note.toString());
  }

  private static void plot(JsonNode loops, Path png) throws IOException {
    int n = loops.size();
    double[] x = new double[n];
    Map<String, double[]> series = new LinkedHashMap<>();
    String[][] fields = {
      {"validation_accuracy", "judged accuracy"},
      {"test_accuracy", "test accuracy"},
      {"self_label_precision", "self-label precision (gold)"},
      {"expected_precision", "expected precision"}
    };
    for (String[] f : fields) {
      double[] y = new double[n];
      boolean any = false;
      for (int i = 0; i < n; i++) {
        x[i] = i;
        JsonNode v = loops.get(i).get(f[0]);
        y[i] = v != null && v.isNumber() ? v.asDouble() : Double.NaN;
        any |= !Double.isNaN(y[i]);
      }
      if (any) {
        series.put(f[1], y);
      }
    }
    Plots.lines("SER loops", "loop", "", x, series, png);
  }

  /** How `--encoder auto` chose: every candidate's out-of-fold figures, the chosen one marked. */
  private static void encoderChoice(HtmlPage page, JsonNode choice) {
    page.heading("Encoder");
    EncoderSearch.JsonRows rows = new EncoderSearch.JsonRows(choice.path("candidates"));
    if (rows.size() == 0) {
      page.paragraph(
          "Encoder " + choice.path("chosen").asText() + ": " + choice.path("note").asText() + ".");
      return;
    }
    page.paragraph(
        String.format(
            Locale.ROOT,
            "--encoder auto chose %s (input %s): %s, from %d candidates scored out of fold on the %d labeled pairs (%d folds by prompt).",
            choice.path("chosen").asText(),
            choice.path("input").asText(),
            choice.path("rule").asText(),
            rows.size(),
            choice.path("labeled_pairs").asInt(),
            choice.path("folds").asInt()));
    List<List<String>> cells = new ArrayList<>();
    int marked = -1;
    for (List<String> r : rows.cells()) {
      if (r.get(0).equals("*")) {
        marked = cells.size();
      }
      cells.add(
          List.of(
              r.get(1),
              r.get(2),
              r.get(3),
              r.get(4),
              r.get(5) + " - " + r.get(6),
              r.get(7),
              r.get(8),
              r.get(9)));
    }
    page.table(
        "encoders",
        List.of(
            "encoders",
            "input",
            "encode cost (1 = bge-small-q on one sequence)",
            "out-of-fold accuracy",
            "95% interval",
            "log-loss",
            "behind the best",
            "paired standard error"),
        cells,
        marked);
  }
}
