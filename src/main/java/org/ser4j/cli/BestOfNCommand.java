package org.ser4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ser4j.data.candidates.CandidateFile;
import org.ser4j.data.candidates.Candidates;
import org.ser4j.data.format.PairWriter;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.eval.BestOfN;
import org.ser4j.eval.BestOfNReport;
import org.ser4j.model.RewardScale;
import org.ser4j.model.RewardScorer;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `ser best-of-n`: rerank candidates with the reward model; where candidates carry gold scores, the
 * best-of-n curve against random, longest-answer and oracle picks, and the length bias.
 */
@Command(
    name = "best-of-n",
    mixinStandardHelpOptions = true,
    description =
        "Pick the best of N candidate responses per prompt. --input: {prompt, responses: [...], scores?: [...], preferred?: index} records (ser data candidates writes judged ones), or preference pairs; writes {id, prompt, rewards, best_index, best} lines. "
            + "With gold scores it also reports, for each --n, the mean gold score of the RM's pick, a random pick, the longest answer and the oracle pick (exact expectations over uniform draws of n candidates, 95%% bootstrap intervals over prompts), and the picks' length, in REPORT/best-of-n.json and best-of-n.png.")
public final class BestOfNCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ModelOptions model;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "FILE",
      description = "Candidates to rank.")
  Path input;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the picks (JSON Lines).")
  Path out;

  @Option(
      names = "--n",
      paramLabel = "LIST",
      defaultValue = "1,2,4,8,16,all",
      description =
          "Candidates drawn per prompt for the curve; 'all' = every candidate (default: ${DEFAULT-VALUE}).")
  String ns;

  @Option(
      names = "--report",
      paramLabel = "DIR",
      description =
          "Where to write best-of-n.json and best-of-n.png (default: the folder of --out).")
  Path report;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "42",
      description = "Seed of the bootstrap intervals (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    int[] nList = BestOfN.parseNs(ns); // a bad --n fails before the scoring, not after
    List<Candidates> all = CandidateFile.read(input);
    List<ResponseInput> inputs = BestOfNReport.inputs(all);
    double[] raw;
    RewardScale scale;
    try (RewardScorer scorer = model.open(model.runtime.progress())) {
      raw = scorer.rewards(inputs);
      scale = scorer.scale();
    }
    double[] keys = new double[raw.length];
    for (int i = 0; i < raw.length; i++) {
      keys[i] = scale.corrected(raw[i], inputs.get(i).response().length());
    }
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
    AtomicFiles.write(
        out,
        o -> {
          for (ObjectNode n : lines) {
            o.write(Json.LINE.writeValueAsBytes(n));
            o.write('\n');
          }
        });
    PrintWriter log = spec.commandLine().getOut();
    log.printf(Locale.ROOT, "prompts: %d, candidates: %d%n", all.size(), inputs.size());
    if (judged > 0) {
      log.printf(
          Locale.ROOT,
          "agreement with the human choice: %.4f (%d of %d prompts)%n",
          (double) agree / judged,
          agree,
          judged);
    }
    List<BestOfN.Judged> gold = BestOfNReport.judged(all, keys);
    if (!gold.isEmpty()) {
      // The uncorrected picks are reported beside the corrected ones where the model corrects.
      List<BestOfN.Judged> uncorrected =
          scale.correctsLength() ? BestOfNReport.judged(all, raw) : null;
      writeCurve(log, nList, gold, uncorrected);
    }
    log.println("wrote " + out);
    log.flush();
    return 0;
  }

  private void writeCurve(
      PrintWriter log, int[] nList, List<BestOfN.Judged> gold, List<BestOfN.Judged> uncorrected)
      throws java.io.IOException {
    boolean corrects = uncorrected != null;
    List<BestOfN.Point> curve = BestOfN.curve(gold, nList, seed);
    Path dir = report != null ? report : out.toAbsolutePath().getParent();
    ObjectNode json = Json.PRETTY.createObjectNode();
    json.put("model", model.dir.toString());
    json.put("input", input.toString());
    json.put("judged_prompts", gold.size());
    json.put("candidates", gold.stream().mapToInt(j -> j.keys().length).sum());
    json.put("length_correction", corrects);
    json.put("seed", seed);
    json.put(
        "method",
        "exact expectation over uniform draws of n candidates per prompt; 95% percentile bootstrap over prompts");
    json.set("curve", BestOfNReport.curveJson(curve));
    json.set("length_bias", BestOfNReport.lengthBiasJson(gold));
    Map<String, List<BestOfN.Point>> plotted = new LinkedHashMap<>();
    plotted.put(corrects ? "RM (length-corrected)" : "RM", curve);
    BestOfNReport.printTable(
        log,
        "best-of-n (mean gold score of the pick)" + (corrects ? ", length-corrected RM" : ""),
        curve);
    if (corrects) {
      List<BestOfN.Point> plain = BestOfN.curve(uncorrected, nList, seed);
      json.set("curve_without_length_correction", BestOfNReport.curveJson(plain));
      json.set("length_bias_without_correction", BestOfNReport.lengthBiasJson(uncorrected));
      plotted.put("RM (no length correction)", plain);
      BestOfNReport.printTable(log, "the same RM without its length correction", plain);
    }
    AtomicFiles.writeString(
        dir.resolve("best-of-n.json"), Json.PRETTY.writeValueAsString(json) + "\n");
    BestOfNReport.plot(
        plotted, "Best-of-n on " + input.getFileName(), dir.resolve("best-of-n.png"));
    log.printf(
        Locale.ROOT,
        "reward-length correlation (within prompt, Spearman): %.3f%n",
        BestOfNReport.meanWithinPromptSpearman(gold));
    org.ser4j.eval.HtmlPage page =
        new org.ser4j.eval.HtmlPage("Best-of-n on " + input.getFileName());
    page.paragraph(
        String.format(
            Locale.ROOT,
            "Model %s on %d judged prompts (%d candidates)%s: the mean gold score of the RM's pick at each n, against a random pick, the longest answer and the oracle (exact expectations over uniform draws of n candidates; 95%% bootstrap intervals over prompts).",
            model.dir,
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
