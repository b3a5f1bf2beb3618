package org.ser4j.experiment;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ser4j.data.candidates.CandidateFile;
import org.ser4j.data.candidates.Candidates;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.eval.BestOfN;
import org.ser4j.eval.BestOfNReport;
import org.ser4j.model.RewardScorer;
import org.ser4j.model.TrainedModel;
import org.ser4j.util.Json;

/**
 * `ser experiment --best-of-n FILE`: each RM's best-of-n win rate on judged candidates, next to its
 * pairwise accuracy, so SER's effect on the answers a policy would pick is one number per RM.
 */
public final class ExperimentBestOfN {
  /** The RMs of one cell, in report order. */
  static final List<String> RMS = List.of("seed_only", "ser", "ser_last", "full");

  private final Path file;
  private final List<Candidates> candidates;
  private final int[] ns;
  private final List<BestOfN.Point> baselines;

  public ExperimentBestOfN(Path file, String nList) {
    this.file = file;
    this.ns = BestOfN.parseNs(nList);
    this.candidates = CandidateFile.read(file).stream().filter(Candidates::judged).toList();
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException(
          file + ": no judged candidate sets (records with 'scores'); see ser data candidates");
    }
    // Random, longest and oracle picks do not depend on the RM: any keys give them.
    double[] zeros = new double[BestOfNReport.inputs(candidates).size()];
    this.baselines = BestOfN.curve(BestOfNReport.judged(candidates, zeros), ns, 42);
  }

  /** One RM's results at each n: the mean gold score of its pick, and its picks' length ratio. */
  public record Result(double[] winRate, double[] lengthRatio) {}

  public Result measure(TrainedModel model, EncoderRuntime runtime) throws IOException {
    double[] keys;
    try (RewardScorer scorer = model.open(runtime)) {
      keys = BestOfNReport.score(scorer, candidates);
    }
    List<BestOfN.Point> curve = BestOfN.curve(BestOfNReport.judged(candidates, keys), ns, 42);
    double[] win = new double[ns.length];
    double[] len = new double[ns.length];
    for (int i = 0; i < ns.length; i++) {
      win[i] = curve.get(i).rm().mean();
      len[i] = curve.get(i).rmPickLength() / curve.get(i).randomPickLength();
    }
    return new Result(win, len);
  }

  /** The JSON of one fraction: per n, each RM's win rate, pick length, and paired gains. */
  public ObjectNode summarize(List<Map<String, Result>> cells) {
    ObjectNode out = Json.PRETTY.createObjectNode();
    ArrayNode byN = out.putArray("by_n");
    for (int i = 0; i < ns.length; i++) {
      int at = i;
      ObjectNode n = byN.addObject();
      n.put("n", baselines.get(i).n());
      for (String rm : RMS) {
        if (cells.stream().allMatch(c -> c.containsKey(rm))) {
          n.set(
              rm,
              ExperimentReport.stats(cells.stream().map(c -> c.get(rm).winRate()[at]).toList()));
          n.set(
              rm + "_pick_length_vs_random",
              ExperimentReport.stats(
                  cells.stream().map(c -> c.get(rm).lengthRatio()[at]).toList()));
        }
      }
      for (String rm : List.of("ser", "ser_last")) {
        n.set(
            rm + "_minus_seed_only",
            ExperimentReport.stats(
                cells.stream()
                    .map(c -> c.get(rm).winRate()[at] - c.get("seed_only").winRate()[at])
                    .toList()));
      }
      if (cells.stream().allMatch(c -> c.containsKey("full"))) {
        n.set(
            "ser_last_minus_full",
            ExperimentReport.stats(
                cells.stream()
                    .map(c -> c.get("ser_last").winRate()[at] - c.get("full").winRate()[at])
                    .toList()));
      }
    }
    return out;
  }

  public ObjectNode header() {
    ObjectNode n = Json.PRETTY.createObjectNode();
    n.put("file", file.toString());
    n.put("prompts", candidates.size());
    n.put(
        "method",
        "mean gold score of the RM's pick: exact expectation over uniform draws of n candidates per prompt");
    ArrayNode b = n.putArray("baselines");
    for (BestOfN.Point p : baselines) {
      b.addObject()
          .put("n", p.n())
          .put("random", p.random().mean())
          .put("longest", p.longest().mean())
          .put("oracle", p.oracle().mean());
    }
    return n;
  }

  /**
   * The headline fraction's win rate against n (log axis): each RM's mean over seeds, with the
   * random, longest-answer and oracle picks.
   */
  public void plot(com.fasterxml.jackson.databind.JsonNode fraction, Path png) throws IOException {
    Map<String, double[]> series = new java.util.LinkedHashMap<>();
    com.fasterxml.jackson.databind.JsonNode byN = fraction.get("best_of_n").get("by_n");
    Map<String, String> names =
        Map.of(
            "seed_only", "seed only (Loop 0)",
            "ser", "SER (loop kept)",
            "ser_last", "SER (last loop)",
            "full", "full labels");
    for (String rm : RMS) {
      if (byN.get(0).has(rm)) {
        double[] y = new double[ns.length];
        for (int i = 0; i < ns.length; i++) {
          y[i] = byN.get(i).get(rm).get("mean").asDouble();
        }
        series.put(names.get(rm), y);
      }
    }
    String title =
        "Best-of-n win rate (labeled fraction "
            + fraction.get("labeled_fraction").asDouble()
            + ", mean over seeds)";
    BestOfNReport.plot(series, baselines, title, png);
  }

  public String firstN() {
    return baselines.get(0).n();
  }

  /** Candidates' RM-independent curve values, for the markdown table. */
  public BestOfN.Point baseline(int i) {
    return baselines.get(i);
  }
}
