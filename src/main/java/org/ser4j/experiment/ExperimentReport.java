package org.ser4j.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;
import org.ser4j.eval.HtmlPage;
import org.ser4j.eval.Plots;
import org.ser4j.ser.LoopReport;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Json;

/**
 * An experiment's results: per labeled fraction, the three RMs' test accuracy over seeds with 95%
 * t-intervals, SER's paired gain and the share of the seed-to-full gap it closes, per-loop means;
 * written as experiment.json, experiment.md and PNG plots.
 */
public final class ExperimentReport {
  private ExperimentReport() {}

  /**
   * Writes experiment.json, experiment.md and the plots for {@code cells} (of {@code trainFile},
   * run under {@code s}) into {@code out}, and prints the table to {@code log}.
   */
  public static void write(
      Path out,
      Path trainFile,
      Experiment.Settings s,
      List<Cell> cells,
      ExperimentBestOfN bon,
      PrintWriter log)
      throws IOException {
    List<Double> fs = s.fractions();
    ObjectNode json = Json.PRETTY.createObjectNode();
    json.put("train_file", trainFile.toString());
    json.put("seeds", s.seeds());
    json.put("encoder", s.search() == null ? s.encoder().name() : "auto (chosen per seed)");
    json.put("finetune", s.finetune() == null ? "none" : s.finetune().mode().cliName());
    if (s.finetune() != null) {
      json.set("finetune_config", Json.PRETTY.valueToTree(s.finetune()));
    }
    json.set("ser_config", Json.PRETTY.valueToTree(s.ser()));
    ArrayNode byFraction = json.putArray("by_fraction");
    if (bon != null) {
      json.set("best_of_n", bon.header());
    }
    for (double f : fs) {
      List<Cell> at = cells.stream().filter(c -> c.fraction() == f).toList();
      ObjectNode node = summarize(at);
      if (bon != null) {
        node.set("best_of_n", bon.summarize(at.stream().map(Cell::bestOfN).toList()));
      }
      node.put("labeled_fraction", f);
      byFraction.add(node);
    }
    ObjectNode headline = (ObjectNode) byFraction.get(0);
    for (String key :
        new String[] {"labeled_fraction", "seed_only", "ser", "full", "gap_closed", "loops"}) {
      json.set(key, headline.get(key));
    }
    AtomicFiles.writeString(
        out.resolve("experiment.json"), Json.PRETTY.writeValueAsString(json) + "\n");
    String table =
        markdown(json, fs, s.seeds(), trainFile) + (bon == null ? "" : bestOfNMarkdown(json, bon));
    AtomicFiles.writeString(out.resolve("experiment.md"), table);
    plotLoops(headline, out.resolve("experiment-loops.png"));
    if (fs.size() > 1) {
      plotFractions(byFraction, out.resolve("label-efficiency.png"));
    }
    plotGains(byFraction, s.seeds(), out.resolve("experiment-gains.png"));
    if (bon != null) {
      bon.plot(headline, out.resolve("experiment-best-of-n.png"));
    }
    page(out, json, bon != null);
    log.print(table);
    log.println(
        "wrote "
            + out.resolve("experiment.json")
            + ", report.html"
            + ", experiment.md, experiment-loops.png"
            + (fs.size() > 1 ? ", label-efficiency.png" : "")
            + ", experiment-gains.png"
            + (bon != null ? ", experiment-best-of-n.png" : ""));
    log.flush();
  }

  /** report.html: the per-fraction table, the plots inline, the settings, links to the files. */
  private static void page(Path out, ObjectNode json, boolean bestOfN) throws IOException {
    HtmlPage page = new HtmlPage("SER experiment " + out.toAbsolutePath().getFileName());
    page.paragraph(
        String.format(
            java.util.Locale.ROOT,
            "%s, %d seeds, encoder %s (%s): seed-only (Loop 0), SER (the kept loop) and the full-label RM, paired on each seed's split; gains with 95%% t-intervals over seeds.",
            json.path("train_file").asText(),
            json.path("seeds").asInt(),
            json.path("encoder").asText(),
            json.path("finetune").asText().equals("none")
                ? "frozen"
                : "fine-tuned " + json.path("finetune").asText()));
    page.heading("Test accuracy by labeled fraction");
    page.table(
        "fractions",
        json.get("by_fraction"),
        List.of(
            "labeled_fraction",
            "seed_only.mean",
            "ser.mean",
            "full.mean",
            "ser_minus_seed_only.mean",
            "ser_minus_seed_only.ci95_low",
            "ser_minus_seed_only.ci95_high",
            "gap_closed"));
    for (String[] png :
        new String[][] {
          {"experiment-gains.png", "SER - seed only, with 95% intervals"},
          {"label-efficiency.png", "accuracy by labeled fraction"},
          {"experiment-loops.png", "accuracy per loop"},
          {"experiment-best-of-n.png", "best-of-n win rate of each RM"}
        }) {
      if (bestOfN || !png[0].contains("best-of-n")) {
        page.image(out.resolve(png[0]), png[1]);
      }
    }
    page.heading("Files");
    page.links(out, List.of("experiment.json", "experiment.md", "runs/", "options.properties"));
    page.heading("Settings");
    page.pre(Json.PRETTY.writeValueAsString(json.get("ser_config")));
    page.write(out.resolve("report.html"));
  }

  /**
   * Mean, sample std, a 95% t-interval of the mean (from 2 seeds on) and the values over seeds; the
   * intervals of paired differences matter most.
   */
  public static ObjectNode stats(List<Double> xs) {
    ObjectNode n = Json.PRETTY.createObjectNode();
    double mean = mean(xs);
    double var = 0;
    for (double x : xs) {
      var += (x - mean) * (x - mean);
    }
    double std = xs.size() > 1 ? Math.sqrt(var / (xs.size() - 1)) : 0.0;
    n.put("mean", mean);
    n.put("std", std);
    if (xs.size() > 1) {
      double half =
          new TDistribution(xs.size() - 1).inverseCumulativeProbability(0.975)
              * std
              / Math.sqrt(xs.size());
      n.put("ci95_low", mean - half);
      n.put("ci95_high", mean + half);
    }
    ArrayNode runs = n.putArray("runs");
    xs.forEach(runs::add);
    return n;
  }

  private static ObjectNode summarize(List<Cell> cells) {
    ObjectNode n = Json.PRETTY.createObjectNode();
    n.set("seed_only", stats(cells.stream().map(Cell::seedOnly).toList()));
    n.set("ser", stats(cells.stream().map(Cell::ser).toList()));
    n.set("full", stats(cells.stream().map(Cell::full).toList()));
    double seed = n.get("seed_only").get("mean").asDouble();
    double serMean = n.get("ser").get("mean").asDouble();
    double full = n.get("full").get("mean").asDouble();
    // Paired by seed (same split, same seed): the spread of SER's gain without the spread between
    // splits.
    List<Double> gains = cells.stream().map(c -> c.ser() - c.seedOnly()).toList();
    ObjectNode gain = stats(gains);
    n.set("ser_minus_seed_only", gain);
    // The share of the seed-to-full gap SER closes; undefined when there is (almost) no gap.
    if (full - seed > 0.005) {
      n.put("gap_closed", (serMean - seed) / (full - seed));
    } else {
      n.putNull("gap_closed");
    }
    ObjectNode length = lengthSummary(cells);
    if (length != null) {
      n.set("length", length);
    }
    // Per loop, over seeds: a run that stopped early counts with the RM it kept.
    int maxLoops = cells.stream().mapToInt(c -> c.loops().size()).max().orElse(1);
    ArrayNode loops = n.putArray("loops");
    for (int t = 0; t < maxLoops; t++) {
      List<Double> acc = new ArrayList<>();
      List<Double> precision = new ArrayList<>();
      List<Double> selected = new ArrayList<>();
      List<Double> built = new ArrayList<>();
      List<Double> builtPrecision = new ArrayList<>();
      for (Cell c : cells) {
        LoopReport r = t < c.loops().size() ? c.loops().get(t) : c.loops().get(c.keptLoop());
        acc.add(r.testAccuracy());
        if (t < c.loops().size() && r.selfLabelPrecision() != null) {
          precision.add(r.selfLabelPrecision());
          selected.add((double) r.selected());
          var d = r.diagnostics();
          if (d != null && d.builtPairs() != null) { // West-of-N
            built.add((double) d.builtPairs());
            if (d.builtPrecision() != null) {
              builtPrecision.add(d.builtPrecision());
            }
          }
        }
      }
      ObjectNode l = loops.addObject();
      l.put("loop", t);
      l.put("test_accuracy", mean(acc));
      putMean(l, "self_label_precision", precision);
      putMean(l, "selected", selected);
      putMean(l, "built", built);
      putMean(l, "built_precision", builtPrecision);
    }
    ArrayNode runs = n.putArray("runs");
    for (Cell c : cells) {
      ObjectNode r = runs.addObject();
      r.put("seed", c.seed());
      r.put("encoder", c.encoder());
      r.put("seed_only", c.seedOnly());
      r.put("ser", c.ser());
      if (!Double.isNaN(c.full())) {
        r.put("full", c.full());
      }
      r.put("final_loop", c.keptLoop());
      r.put("stop_reason", c.stop());
      r.set("loops", Json.PRETTY.valueToTree(c.loops()));
    }
    return n;
  }

  /**
   * How the runs treat length, means over seeds: on the test pairs (loop 0 and the kept loop),
   * accuracy where the chosen answer is the shorter and the reward-length correlation within
   * prompts; and the share of self-labels that choose the longer answer, under the RM's labels and
   * under the gold labels of the same pairs (every selected pair of every loop). Null without a
   * test set.
   */
  private static ObjectNode lengthSummary(List<Cell> cells) {
    List<Double> shorter0 = new ArrayList<>();
    List<Double> shorterKept = new ArrayList<>();
    List<Double> within0 = new ArrayList<>();
    List<Double> withinKept = new ArrayList<>();
    List<Double> longerShare = new ArrayList<>();
    List<Double> goldLongerShare = new ArrayList<>();
    for (Cell c : cells) {
      org.ser4j.eval.StyleSplit first = lengthSplit(c.loops().get(0));
      org.ser4j.eval.StyleSplit kept = lengthSplit(c.loops().get(c.keptLoop()));
      if (first == null || kept == null) {
        return null;
      }
      addIfKnown(shorter0, first.accuracyChosenLess());
      addIfKnown(shorterKept, kept.accuracyChosenLess());
      addIfKnown(within0, first.withinPromptCorrelation());
      addIfKnown(withinKept, kept.withinPromptCorrelation());
      double selected = 0;
      double longer = 0;
      double goldLonger = 0;
      boolean gold = true;
      for (LoopReport r : c.loops()) {
        if (r.selected() > 0 && r.diagnostics() != null) {
          selected += r.selected();
          longer += r.selected() * r.diagnostics().selectedChosenLonger();
          Double g = r.diagnostics().goldChosenLonger();
          gold &= g != null;
          goldLonger += g == null ? 0 : r.selected() * g;
        }
      }
      if (selected > 0) {
        longerShare.add(longer / selected);
        if (gold) {
          goldLongerShare.add(goldLonger / selected);
        }
      }
    }
    ObjectNode n = Json.PRETTY.createObjectNode();
    putMean(n, "seed_only_accuracy_chosen_shorter", shorter0);
    putMean(n, "ser_accuracy_chosen_shorter", shorterKept);
    putMean(n, "seed_only_within_prompt_correlation", within0);
    putMean(n, "ser_within_prompt_correlation", withinKept);
    putMean(n, "self_labels_chosen_longer", longerShare);
    putMean(n, "gold_chosen_longer_of_self_labels", goldLongerShare);
    return n;
  }

  private static org.ser4j.eval.StyleSplit lengthSplit(LoopReport r) {
    return r.styleSplits() == null
        ? null
        : r.styleSplits().stream()
            .filter(x -> x.style().equals(org.ser4j.data.Style.LENGTH.label()))
            .findFirst()
            .orElse(null);
  }

  private static void addIfKnown(List<Double> xs, Double x) {
    if (x != null) {
      xs.add(x);
    }
  }

  private static double mean(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }

  /** The mean of {@code xs} under {@code key}, left out when there is none. */
  private static void putMean(ObjectNode node, String key, List<Double> xs) {
    if (!xs.isEmpty()) {
      node.put(key, mean(xs));
    }
  }

  /** {@code node}'s {@code key} in {@code format}, or "-" where it is absent. */
  private static String orDash(JsonNode node, String key, String format) {
    return node.has(key) ? String.format(Locale.ROOT, format, node.get(key).asDouble()) : "-";
  }

  private static String markdown(JsonNode json, List<Double> fs, int seeds, Path trainFile) {
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "Test accuracy, mean ± std over %d seeds (%s, encoder %s)%n%n",
            seeds,
            trainFile.getFileName(),
            json.get("encoder").asText()));
    md.append(
        "| labeled | seed only | SER | full | gap closed | SER - seed only (paired, ± std [95% t-interval]) |\n|---|---|---|---|---|---|\n");
    for (JsonNode f : json.get("by_fraction")) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %.3f | %s | %s | %s | %s | %+.4f ± %.4f [%+.4f, %+.4f] |%n",
              f.get("labeled_fraction").asDouble(),
              pm(f.get("seed_only"), 4),
              pm(f.get("ser"), 4),
              pm(f.get("full"), 4),
              f.get("gap_closed").isNull()
                  ? "n/a (no gap)"
                  : String.format(Locale.ROOT, "%.0f%%", 100 * f.get("gap_closed").asDouble()),
              f.get("ser_minus_seed_only").get("mean").asDouble(),
              f.get("ser_minus_seed_only").get("std").asDouble(),
              f.get("ser_minus_seed_only").path("ci95_low").asDouble(Double.NaN),
              f.get("ser_minus_seed_only").path("ci95_high").asDouble(Double.NaN)));
    }
    JsonNode length = json.get("by_fraction").get(0).get("length");
    if (length != null) {
      md.append(
          String.format(
              Locale.ROOT,
              "%nLength at labeled fraction %s (means over seeds): accuracy where the chosen answer is the shorter %s seed only, %s SER; reward-length correlation within prompts %s, %s; self-labels choosing the longer answer %s (the gold labels of the same pairs: %s).%n",
              fs.get(0),
              orDash(length, "seed_only_accuracy_chosen_shorter", "%.3f"),
              orDash(length, "ser_accuracy_chosen_shorter", "%.3f"),
              orDash(length, "seed_only_within_prompt_correlation", "%.3f"),
              orDash(length, "ser_within_prompt_correlation", "%.3f"),
              orDash(length, "self_labels_chosen_longer", "%.3f"),
              orDash(length, "gold_chosen_longer_of_self_labels", "%.3f")));
    }
    md.append("\nPer loop at labeled fraction ")
        .append(fs.get(0))
        .append(
            " (means over seeds; with West-of-N, built pairs among the selected and their precision where the pool decides it):\n\n| loop | selected | built | self-label precision | built precision | test accuracy |\n|---|---|---|---|---|---|\n");
    for (JsonNode l : json.get("loops")) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %s | %s | %s | %s | %.4f |%n",
              l.get("loop").asInt(),
              orDash(l, "selected", "%.0f"),
              orDash(l, "built", "%.0f"),
              orDash(l, "self_label_precision", "%.3f"),
              orDash(l, "built_precision", "%.3f"),
              l.get("test_accuracy").asDouble()));
    }
    return md.toString();
  }

  private static String bestOfNMarkdown(JsonNode json, ExperimentBestOfN bon) {
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "%nBest-of-n win rate on %s (%d prompts), mean ± std over seeds; paired gains with 95%% t-intervals%n%n",
            bon.header().get("file").asText(),
            bon.header().get("prompts").asInt()));
    md.append(
        "| labeled | n | random | longest | oracle | seed only | SER | SER last loop | full | SER last - seed only |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (JsonNode f : json.get("by_fraction")) {
      JsonNode byN = f.get("best_of_n").get("by_n");
      for (int i = 0; i < byN.size(); i++) {
        JsonNode n = byN.get(i);
        JsonNode gain = n.get("ser_last_minus_seed_only");
        md.append(
            String.format(
                Locale.ROOT,
                "| %.3f | %s | %.3f | %.3f | %.3f | %s | %s | %s | %s | %+.3f [%+.3f, %+.3f] |%n",
                f.get("labeled_fraction").asDouble(),
                n.get("n").asText(),
                bon.baseline(i).random().mean(),
                bon.baseline(i).longest().mean(),
                bon.baseline(i).oracle().mean(),
                pm(n.get("seed_only"), 3),
                pm(n.get("ser"), 3),
                pm(n.get("ser_last"), 3),
                n.has("full") ? pm(n.get("full"), 3) : "-",
                gain.get("mean").asDouble(),
                gain.path("ci95_low").asDouble(Double.NaN),
                gain.path("ci95_high").asDouble(Double.NaN)));
      }
    }
    return md.toString();
  }

  /** "mean ± std" with {@code digits} decimals. */
  private static String pm(JsonNode stats, int digits) {
    String f = "%." + digits + "f";
    return String.format(
        Locale.ROOT, f + " ± " + f, stats.get("mean").asDouble(), stats.get("std").asDouble());
  }

  private static void plotLoops(JsonNode headline, Path png) throws java.io.IOException {
    JsonNode loops = headline.get("loops");
    int n = loops.size();
    double[] x = new double[n];
    double[] serAcc = new double[n];
    double[] precision = new double[n];
    double[] seedOnly = new double[n];
    double[] full = new double[n];
    for (int t = 0; t < n; t++) {
      x[t] = t;
      serAcc[t] = loops.get(t).get("test_accuracy").asDouble();
      precision[t] =
          loops.get(t).has("self_label_precision")
              ? loops.get(t).get("self_label_precision").asDouble()
              : Double.NaN;
      seedOnly[t] = headline.get("seed_only").get("mean").asDouble();
      full[t] = headline.get("full").get("mean").asDouble();
    }
    Map<String, double[]> series = new LinkedHashMap<>();
    series.put("SER test accuracy", serAcc);
    series.put("seed only (Loop 0)", seedOnly);
    series.put("full labels", full);
    series.put("self-label precision", precision);
    Plots.lines(
        "SER per loop (labeled fraction " + headline.get("labeled_fraction").asDouble() + ")",
        "loop",
        "accuracy",
        x,
        series,
        png);
  }

  /** SER - seed only per labeled fraction, paired over seeds, with its 95% t-interval. */
  private static void plotGains(JsonNode byFraction, int seeds, Path png)
      throws java.io.IOException {
    int n = byFraction.size();
    double[] x = new double[n];
    double[] mean = new double[n];
    double[] half = new double[n];
    for (int i = 0; i < n; i++) {
      JsonNode f = byFraction.get(i);
      JsonNode gain = f.get("ser_minus_seed_only");
      x[i] = f.get("labeled_fraction").asDouble();
      mean[i] = gain.get("mean").asDouble();
      half[i] = gain.path("ci95_high").asDouble(mean[i]) - mean[i];
    }
    Plots.intervals(
        "SER - seed only, paired over " + seeds + " seeds (95% t-interval)",
        "labeled fraction",
        "test accuracy gain",
        x,
        mean,
        half,
        png);
  }

  private static void plotFractions(JsonNode byFraction, Path png) throws java.io.IOException {
    int n = byFraction.size();
    double[] x = new double[n];
    Map<String, double[]> series = new LinkedHashMap<>();
    Map<String, String> names =
        Map.of("seed_only", "seed only", "ser", "SER", "full", "full labels");
    for (int i = 0; i < n; i++) {
      x[i] = byFraction.get(i).get("labeled_fraction").asDouble();
    }
    for (String key : List.of("seed_only", "ser", "full")) {
      double[] y = series.computeIfAbsent(names.get(key), k -> new double[n]);
      for (int i = 0; i < n; i++) {
        y[i] = byFraction.get(i).get(key).get("mean").asDouble();
      }
    }
    Plots.lines("Label efficiency", "labeled fraction", "test accuracy", x, series, png);
  }
}
