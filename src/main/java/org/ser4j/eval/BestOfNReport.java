package org.ser4j.eval;

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
import org.ser4j.data.candidates.Candidates;
import org.ser4j.data.format.PairWriter;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.RewardScale;
import org.ser4j.model.RewardScorer;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Json;

/**
 * Best-of-n over judged candidate sets, shared by `ser best-of-n` and `ser experiment --best-of-n`:
 * scoring, the curve as JSON, the printed table and the PNG.
 */
public final class BestOfNReport {
  private BestOfNReport() {}

  public static List<ResponseInput> inputs(List<Candidates> all) {
    List<ResponseInput> inputs = new ArrayList<>();
    for (Candidates c : all) {
      c.responses().forEach(r -> inputs.add(new ResponseInput(c.prompt(), r)));
    }
    return inputs;
  }

  /** The judged prompts with {@code keys} (one per candidate, in file order) as the RM's picks. */
  public static List<BestOfN.Judged> judged(List<Candidates> all, double[] keys) {
    List<BestOfN.Judged> out = new ArrayList<>();
    int at = 0;
    for (Candidates c : all) {
      if (c.judged()) {
        double[] lengths = new double[c.size()];
        for (int k = 0; k < lengths.length; k++) {
          lengths[k] = c.responses().get(k).length();
        }
        out.add(
            new BestOfN.Judged(
                java.util.Arrays.copyOfRange(keys, at, at + c.size()), c.scores(), lengths));
      }
      at += c.size();
    }
    return out;
  }

  /** The RM's length-corrected rewards for every candidate, in file order. */
  public static double[] score(RewardScorer scorer, List<Candidates> all) throws IOException {
    return scorer.correctedRewards(inputs(all));
  }

  public static ObjectNode estimate(BestOfN.Estimate e) {
    ObjectNode n = Json.PRETTY.createObjectNode();
    n.put("mean", e.mean());
    n.put("low", e.low());
    n.put("high", e.high());
    return n;
  }

  public static ArrayNode curveJson(List<BestOfN.Point> points) {
    ArrayNode a = Json.PRETTY.createArrayNode();
    for (BestOfN.Point p : points) {
      ObjectNode n = a.addObject();
      n.put("n", p.n());
      n.put("mean_drawn", p.meanDrawn());
      n.set("rm", estimate(p.rm()));
      n.set("random", estimate(p.random()));
      n.set("longest", estimate(p.longest()));
      n.set("oracle", estimate(p.oracle()));
      n.set("rm_minus_longest", estimate(p.rmMinusLongest()));
      n.put("rm_pick_length", p.rmPickLength());
      n.put("random_pick_length", p.randomPickLength());
      n.put("longest_pick_length", p.longestPickLength());
    }
    return a;
  }

  /** Within-prompt Spearman correlation of reward with length, averaged over prompts. */
  public static double meanWithinPromptSpearman(List<BestOfN.Judged> prompts) {
    double sum = 0;
    int k = 0;
    for (BestOfN.Judged p : prompts) {
      double c = LengthBias.correlation(p.keys(), p.lengths(), true);
      if (!Double.isNaN(c)) {
        sum += c;
        k++;
      }
    }
    return k == 0 ? Double.NaN : sum / k;
  }

  public static ObjectNode lengthBiasJson(List<BestOfN.Judged> prompts) {
    List<Double> r = new ArrayList<>();
    List<Double> len = new ArrayList<>();
    for (BestOfN.Judged p : prompts) {
      for (int k = 0; k < p.keys().length; k++) {
        r.add(p.keys()[k]);
        len.add(p.lengths()[k]);
      }
    }
    double[] ra = r.stream().mapToDouble(Double::doubleValue).toArray();
    double[] la = len.stream().mapToDouble(Double::doubleValue).toArray();
    ObjectNode n = Json.PRETTY.createObjectNode();
    n.put("pearson_reward_length", LengthBias.correlation(ra, la, false));
    n.put("spearman_reward_length", LengthBias.correlation(ra, la, true));
    n.put("mean_within_prompt_spearman", meanWithinPromptSpearman(prompts));
    return n;
  }

  public static void printTable(PrintWriter log, String title, List<BestOfN.Point> points) {
    log.println(title);
    log.printf(
        Locale.ROOT,
        "%-5s %-22s %-7s %-7s %-7s %-24s %s%n",
        "n",
        "RM [95% CI]",
        "random",
        "longest",
        "oracle",
        "RM - longest [95% CI]",
        "pick length: RM / random");
    for (BestOfN.Point p : points) {
      log.printf(
          Locale.ROOT,
          "%-5s %.3f [%.3f, %.3f]   %.3f   %.3f   %.3f   %+.3f [%+.3f, %+.3f]   %.2f%n",
          p.n(),
          p.rm().mean(),
          p.rm().low(),
          p.rm().high(),
          p.random().mean(),
          p.longest().mean(),
          p.oracle().mean(),
          p.rmMinusLongest().mean(),
          p.rmMinusLongest().low(),
          p.rmMinusLongest().high(),
          p.rmPickLength() / p.randomPickLength());
    }
  }

  /**
   * Gold score against n (log axis): the RM's picks (each curve given), random, longest, oracle.
   */
  public static void plot(Map<String, List<BestOfN.Point>> rms, String title, Path png)
      throws IOException {
    Map<String, double[]> curves = new LinkedHashMap<>();
    rms.forEach(
        (rm, points) -> curves.put(rm, points.stream().mapToDouble(p -> p.rm().mean()).toArray()));
    plot(curves, rms.values().iterator().next(), title, png);
  }

  /** {@code rms}' curves over {@code baselines}' n, with the random, longest and oracle picks. */
  public static void plot(
      Map<String, double[]> rms, List<BestOfN.Point> baselines, String title, Path png)
      throws IOException {
    double[] x = baselines.stream().mapToDouble(BestOfN.Point::meanDrawn).toArray();
    Map<String, double[]> series = new LinkedHashMap<>(rms);
    series.put("random pick", baselines.stream().mapToDouble(p -> p.random().mean()).toArray());
    series.put("longest answer", baselines.stream().mapToDouble(p -> p.longest().mean()).toArray());
    series.put("oracle", baselines.stream().mapToDouble(p -> p.oracle().mean()).toArray());
    Plots.lines(
        title,
        "n (candidates drawn per prompt)",
        "mean gold score of the pick",
        x,
        series,
        true,
        png);
  }

  /** The picks: one line per prompt, and how often the pick was the human's choice. */
  public record Picks(List<ObjectNode> lines, int judged, int agree) {}

  /**
   * Each prompt's pick by {@code keys} (the candidates' rewards in order, corrected as the model
   * corrects them): its rewards on the model's {@code scale}, the best index and answer, its gold
   * score where judged, and the human's choice where given.
   */
  public static Picks picks(List<Candidates> all, double[] keys, RewardScale scale) {
    int at = 0;
    int judged = 0;
    int agree = 0;
    List<ObjectNode> lines = new ArrayList<>();
    for (Candidates c : all) {
      int best = 0;
      ObjectNode n = Json.PRETTY.createObjectNode();
      n.put("id", c.id());
      PairWriter.putPrompt(n, c.prompt());
      ArrayNode r = n.putArray("rewards");
      for (int k = 0; k < c.size(); k++) {
        r.add(scale.apply(keys[at + k]));
        if (keys[at + k] > keys[at + best]) {
          best = k;
        }
      }
      at += c.size();
      n.put("best_index", best);
      n.put("best", c.responses().get(best));
      if (c.judged()) {
        n.put("best_score", c.scores()[best]);
      }
      if (c.preferred() >= 0) {
        judged++;
        agree += best == c.preferred() ? 1 : 0;
        n.put("human_index", c.preferred());
      }
      lines.add(n);
    }
    return new Picks(lines, judged, agree);
  }

  /**
   * The best-of-n curve of {@code gold} (the RM's picks on judged prompts) at each of {@code
   * nList}, with bootstrap intervals drawn by {@code seed}, and beside it the curve of {@code
   * uncorrected} (the same RM without its length correction; null where it corrects nothing):
   * tables on {@code log}; best-of-n.json, best-of-n.png and report.html in {@code dir}.
   */
  public static void writeCurve(
      Path dir,
      String model,
      Path input,
      int[] nList,
      long seed,
      List<BestOfN.Judged> gold,
      List<BestOfN.Judged> uncorrected,
      PrintWriter log)
      throws IOException {
    boolean corrects = uncorrected != null;
    List<BestOfN.Point> curve = BestOfN.curve(gold, nList, seed);
    ObjectNode json = Json.PRETTY.createObjectNode();
    json.put("model", model);
    json.put("input", input.toString());
    json.put("judged_prompts", gold.size());
    json.put("candidates", gold.stream().mapToInt(j -> j.keys().length).sum());
    json.put("length_correction", corrects);
    json.put("seed", seed);
    json.put(
        "method",
        "exact expectation over uniform draws of n candidates per prompt; 95% percentile bootstrap over prompts");
    json.set("curve", curveJson(curve));
    json.set("length_bias", lengthBiasJson(gold));
    Map<String, List<BestOfN.Point>> plotted = new LinkedHashMap<>();
    plotted.put(corrects ? "RM (length-corrected)" : "RM", curve);
    printTable(
        log,
        "best-of-n (mean gold score of the pick)" + (corrects ? ", length-corrected RM" : ""),
        curve);
    if (corrects) {
      List<BestOfN.Point> plain = BestOfN.curve(uncorrected, nList, seed);
      json.set("curve_without_length_correction", curveJson(plain));
      json.set("length_bias_without_correction", lengthBiasJson(uncorrected));
      plotted.put("RM (no length correction)", plain);
      printTable(log, "the same RM without its length correction", plain);
    }
    AtomicFiles.writeString(
        dir.resolve("best-of-n.json"), Json.PRETTY.writeValueAsString(json) + "\n");
    plot(plotted, "Best-of-n on " + input.getFileName(), dir.resolve("best-of-n.png"));
    log.printf(
        Locale.ROOT,
        "reward-length correlation (within prompt, Spearman): %.3f%n",
        meanWithinPromptSpearman(gold));
    HtmlPage page = new HtmlPage("Best-of-n on " + input.getFileName());
    page.paragraph(
        String.format(
            Locale.ROOT,
            "Model %s on %d judged prompts (%d candidates)%s: the mean gold score of the RM's pick at each n, against a random pick, the longest answer and the oracle (exact expectations over uniform draws of n candidates; 95%% bootstrap intervals over prompts).",
            model,
            gold.size(),
            json.get("candidates").asInt(),
            corrects ? ", length-corrected" : ""));
    page.table("curve", json.get("curve"), null);
    page.image(dir.resolve("best-of-n.png"), "best-of-n curve");
    page.heading("Files");
    page.links(dir, List.of("best-of-n.json", "best-of-n.png"));
    page.write(dir.resolve("report.html"));
    log.println(
        "wrote "
            + dir.resolve("best-of-n.json")
            + ", "
            + dir.resolve("best-of-n.png")
            + ", "
            + dir.resolve("report.html"));
  }
}
