package org.ser4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ser4j.data.candidates.CandidateFile;
import org.ser4j.data.candidates.Candidates;
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
    BestOfNReport.Picks picks = BestOfNReport.picks(all, keys, scale);
    List<ObjectNode> lines = picks.lines();
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
    if (picks.judged() > 0) {
      log.printf(
          Locale.ROOT,
          "agreement with the human choice: %.4f (%d of %d prompts)%n",
          (double) picks.agree() / picks.judged(),
          picks.agree(),
          picks.judged());
    }
    List<BestOfN.Judged> gold = BestOfNReport.judged(all, keys);
    if (!gold.isEmpty()) {
      // The uncorrected picks are reported beside the corrected ones where the model corrects.
      List<BestOfN.Judged> uncorrected =
          scale.correctsLength() ? BestOfNReport.judged(all, raw) : null;
      Path dir = report != null ? report : out.toAbsolutePath().getParent();
      BestOfNReport.writeCurve(
          dir, model.dir.toString(), input, nList, seed, gold, uncorrected, log);
    }
    log.println("wrote " + out);
    log.flush();
    return 0;
  }
}
