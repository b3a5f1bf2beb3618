package org.ser4j.experiment;

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
import org.ser4j.eval.HtmlPage;
import org.ser4j.eval.Plots;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Json;

/**
 * The active-labeling experiment's report: per count of human labels and method, the mean test
 * accuracy (and best-of-n win rate) and the gain over random labels at the same sample, seed and
 * count, paired, with 95% t-intervals; experiment.json, experiment.md, the label-efficiency plot
 * and report.html.
 */
public final class ActiveReport {
  private ActiveReport() {}

  /**
   * experiment.json (per budget and method: means, paired gains over random with 95% t-intervals),
   * experiment.md, label-efficiency.png and report.html in {@code out}.
   */
  public static void write(
      Path out,
      ActiveExperiment.Settings s,
      List<ActiveExperiment.Point> points,
      ExperimentBestOfN bestOfN,
      PrintWriter log)
      throws IOException {
    List<Integer> budgets = s.schedule().budgets();
    ObjectNode json = Json.PRETTY.createObjectNode();
    json.put(
        "protocol", "active labeling with a simulated annotator (gold labels only when asked)");
    json.put("seeds", s.seeds());
    json.put("first_seed", s.firstSeed());
    ArrayNode sampleNames = json.putArray("samples"); // runs are sample by sample, seed by seed
    s.samples().forEach(sampleNames::add);
    json.put("start", s.schedule().start());
    json.put("round_size", s.schedule().roundSize());
    json.put("rounds", s.schedule().rounds());
    json.put("with_ser", s.withSer());
    json.set("ser_config", Json.PRETTY.valueToTree(s.ser()));
    json.put("encoder", s.encoder().name());
    double full =
        points.stream()
            .mapToDouble(ActiveExperiment.Point::full)
            .filter(x -> !Double.isNaN(x))
            .average()
            .orElse(Double.NaN);
    if (!Double.isNaN(full)) {
      json.put("full_label_accuracy", full);
    }
    if (bestOfN != null) {
      json.set("best_of_n", bestOfN.header().put("n", bestOfN.firstN()));
    }
    List<Metric> metrics = new ArrayList<>();
    metrics.add(
        new Metric(
            "accuracy",
            "minus_random",
            "accuracy",
            ActiveExperiment.Point::active,
            ActiveExperiment.Point::activeSer));
    if (bestOfN != null) {
      metrics.add(
          new Metric(
              "best_of_n",
              "best_of_n_minus_random",
              "best-of-n win rate",
              ActiveExperiment.Point::activeBestOfN,
              ActiveExperiment.Point::activeSerBestOfN));
    }
    ArrayNode rows = json.putArray("by_budget");
    StringBuilder md = new StringBuilder("| human labels | method |");
    StringBuilder rule = new StringBuilder("|---|---|");
    for (Metric m : metrics) {
      md.append(' ').append(m.header()).append(" | vs random (same method), paired [95% CI] |");
      rule.append("---|---|");
    }
    md.append('\n').append(rule).append('\n');
    for (int bi = 0; bi < budgets.size(); bi++) {
      int b = budgets.get(bi);
      for (String name : s.strategies()) {
        for (boolean ser : s.withSer() ? new boolean[] {false, true} : new boolean[] {false}) {
          List<ActiveExperiment.Point> mine =
              points.stream().filter(p -> p.strategy().equals(name) && p.labels() == b).toList();
          if (mine.isEmpty()) {
            continue;
          }
          String method = label(name, ser);
          ObjectNode row = rows.addObject();
          row.put("labels", b);
          row.put("strategy", name);
          row.put("ser", ser);
          row.put("method", method);
          boolean random = name.equals("random");
          md.append(String.format(Locale.ROOT, "| %d | %s |", b, method));
          for (Metric m : metrics) {
            m.measure(row, points, mine, ser, random);
            double mean = row.get(m.key()).get("mean").asDouble();
            m.series().computeIfAbsent(method, k -> new double[budgets.size()])[bi] = mean;
            md.append(
                String.format(
                    Locale.ROOT,
                    " %.4f | %s |",
                    mean,
                    random ? "-" : interval(row.get(m.gainKey()))));
          }
          md.append('\n');
        }
      }
    }
    Map<String, double[]> series = metrics.get(0).series();
    if (s.samples().size() > 1) {
      md.append(
          String.format(
              Locale.ROOT,
              "%n%d samples (%s) x %d seeds; each gain paired within its sample and seed.%n",
              s.samples().size(),
              String.join(", ", s.samples()),
              s.seeds()));
    }
    if (!Double.isNaN(full)) {
      md.append(String.format(Locale.ROOT, "%nfull-label RM: %.4f%n", full));
    }
    AtomicFiles.writeString(
        out.resolve("experiment.json"), Json.PRETTY.writeValueAsString(json) + "\n");
    AtomicFiles.writeString(out.resolve("experiment.md"), md.toString());
    double[] x = budgets.stream().mapToDouble(Integer::doubleValue).toArray();
    if (!Double.isNaN(full)) {
      double[] f = new double[x.length];
      java.util.Arrays.fill(f, full);
      series.put("full labels", f);
    }
    Plots.lines(
        "Label efficiency",
        "human labels",
        "test accuracy",
        x,
        series,
        out.resolve("label-efficiency.png"));
    if (bestOfN != null) {
      Plots.lines(
          "Label efficiency, best-of-" + bestOfN.firstN(),
          "human labels",
          "mean gold score of the RM's pick",
          x,
          metrics.get(1).series(),
          out.resolve("label-efficiency-best-of-n.png"));
    }
    HtmlPage page =
        new HtmlPage("Active labeling experiment " + out.toAbsolutePath().getFileName());
    page.paragraph(
        String.format(
            Locale.ROOT,
            "%s%d seeds; %d random labels to start, then %d rounds of %d asked by each strategy. Accuracy on held-out prompts; gains over random labels at the same count, paired by sample and seed, with 95%% t-intervals.",
            s.samples().size() > 1 ? s.samples().size() + " samples x " : "",
            s.seeds(),
            s.schedule().start(),
            s.schedule().rounds(),
            s.schedule().roundSize()));
    page.table(
        "budgets",
        rows,
        List.of(
            "labels",
            "method",
            "accuracy.mean",
            "minus_random.mean",
            "minus_random.ci95_low",
            "minus_random.ci95_high"));
    page.image(out.resolve("label-efficiency.png"), "test accuracy by number of human labels");
    if (bestOfN != null) {
      page.table(
          "best-of-" + bestOfN.firstN(),
          rows,
          List.of(
              "labels",
              "method",
              "best_of_n.mean",
              "best_of_n_minus_random.mean",
              "best_of_n_minus_random.ci95_low",
              "best_of_n_minus_random.ci95_high"));
      page.image(
          out.resolve("label-efficiency-best-of-n.png"),
          "best-of-" + bestOfN.firstN() + " by number of human labels");
    }
    page.links(out, List.of("experiment.json", "experiment.md", "options.properties"));
    page.write(out.resolve("report.html"));
    log.print(md);
    log.println(
        "wrote "
            + out.resolve("experiment.json")
            + ", experiment.md, label-efficiency.png, report.html");
    log.flush();
  }

  /**
   * One figure measured per method and budget: {@code key} holds its statistics over seeds, {@code
   * gainKey} its paired gain over random labels at the same seed and budget; {@code series} the
   * means by budget, for the plot.
   */
  private record Metric(
      String key,
      String gainKey,
      String header,
      java.util.function.ToDoubleFunction<ActiveExperiment.Point> alone,
      java.util.function.ToDoubleFunction<ActiveExperiment.Point> withSer,
      Map<String, double[]> series) {
    Metric(
        String key,
        String gainKey,
        String header,
        java.util.function.ToDoubleFunction<ActiveExperiment.Point> alone,
        java.util.function.ToDoubleFunction<ActiveExperiment.Point> withSer) {
      this(key, gainKey, header, alone, withSer, new LinkedHashMap<>());
    }

    void measure(
        ObjectNode row,
        List<ActiveExperiment.Point> points,
        List<ActiveExperiment.Point> mine,
        boolean ser,
        boolean random) {
      java.util.function.ToDoubleFunction<ActiveExperiment.Point> value = ser ? withSer : alone;
      List<Double> values = new ArrayList<>();
      List<Double> gains = new ArrayList<>();
      for (ActiveExperiment.Point p : mine) {
        values.add(value.applyAsDouble(p));
        gains.add(
            value.applyAsDouble(p)
                - value.applyAsDouble(find(points, "random", p.sample(), p.seed(), p.labels())));
      }
      row.set(key, ExperimentReport.stats(values));
      if (!random) {
        row.set(gainKey, ExperimentReport.stats(gains));
      }
    }
  }

  private static String label(String strategy, boolean ser) {
    if (strategy.equals("random")) {
      return ser ? "SER (random labels)" : "seed only (random labels)";
    }
    return ser ? strategy + " + SER" : strategy;
  }

  private static String interval(com.fasterxml.jackson.databind.JsonNode g) {
    return g.has("ci95_low")
        ? String.format(
            Locale.ROOT,
            "%+.4f [%+.4f, %+.4f]",
            g.get("mean").asDouble(),
            g.get("ci95_low").asDouble(),
            g.get("ci95_high").asDouble())
        : String.format(Locale.ROOT, "%+.4f", g.get("mean").asDouble());
  }

  private static ActiveExperiment.Point find(
      List<ActiveExperiment.Point> points, String strategy, int sample, long seed, int labels) {
    return points.stream()
        .filter(
            p ->
                p.strategy().equals(strategy)
                    && p.sample() == sample
                    && p.seed() == seed
                    && p.labels() == labels)
        .findFirst()
        .orElseThrow();
  }
}
