package org.ser4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.split.Splits;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.eval.LengthBias;
import org.ser4j.eval.PairMetrics;
import org.ser4j.eval.Plots;
import org.ser4j.model.RewardScorer;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `ser eval`: accuracy, margin and calibration of a model on held-out pairs, with plots. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Evaluate a reward model on preference pairs: accuracy, mean reward margin, ECE, and length bias (reward-length correlation; accuracy where the chosen answer is the longer vs the shorter one; the same split by markdown; reward-length and reward-markdown correlation within prompts); writes eval.json, margin-histogram.png, reliability.png and style-splits.png. A model with a length correction (ser scale --length-debias) is evaluated with it.")
public final class EvalCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ModelOptions model;

  @Option(
      names = "--test",
      required = true,
      paramLabel = "FILE",
      description = "Preference pairs to evaluate on.")
  Path test;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where to write eval.json and the plots (default: MODEL/eval).")
  Path out;

  @Mixin SkipBadOption skip;

  @Mixin ReadOptionsMixin read;

  @Override
  public Integer call() throws Exception {
    Path outDir = out != null ? out : model.dir.resolve("eval");
    model.requireModel();
    PairReader.ReadResult data = PairReader.readAll(test, read.toReadOptions(42, skip.skipBad));
    Splits.TieFilter ties = Splits.dropTies(data.pairs());
    List<PreferencePair> pairs = ties.kept();
    if (pairs.isEmpty()) {
      throw new IllegalArgumentException(test + ": no pairs to evaluate");
    }
    PairMetrics metrics;
    LengthBias bias;
    List<org.ser4j.eval.StyleSplit> splits;
    boolean corrected;
    try (RewardScorer scorer = model.open(model.runtime.progress())) {
      List<ResponseInput> inputs = new java.util.ArrayList<>(2 * pairs.size());
      pairs.forEach(p -> inputs.add(new ResponseInput(p.prompt(), p.chosen())));
      pairs.forEach(p -> inputs.add(new ResponseInput(p.prompt(), p.rejected())));
      double[] r = scorer.correctedRewards(inputs);
      corrected = scorer.scale().correctsLength();
      double[] chosen = java.util.Arrays.copyOfRange(r, 0, pairs.size());
      double[] rejected = java.util.Arrays.copyOfRange(r, pairs.size(), r.length);
      metrics = PairMetrics.of(chosen, rejected);
      bias =
          LengthBias.ofPairs(
              chosen,
              rejected,
              pairs.stream().mapToDouble(p -> p.chosen().length()).toArray(),
              pairs.stream().mapToDouble(p -> p.rejected().length()).toArray());
      splits = org.ser4j.eval.StyleSplit.of(pairs, chosen, rejected);
    }
    ObjectNode json = Json.PRETTY.createObjectNode();
    json.put("model", model.dir.toString());
    json.put("test_file", test.toString());
    json.put("pairs", metrics.pairs());
    json.put("accuracy", metrics.accuracy());
    json.put("mean_margin", metrics.meanMargin());
    json.put("ece", metrics.ece());
    json.put("skipped_records", data.skipped().total());
    json.put("identical_responses_dropped", ties.dropped());
    json.putPOJO("reliability", metrics.reliability());
    ObjectNode b = json.putObject("length_bias");
    b.put("length_correction", corrected);
    b.put("pearson_reward_length", bias.pearson());
    b.put("spearman_reward_length", bias.spearman());
    b.put("pairs_chosen_longer", bias.chosenLonger());
    b.put("accuracy_chosen_longer", bias.accuracyChosenLonger());
    b.put("pairs_chosen_shorter", bias.chosenShorter());
    b.put("accuracy_chosen_shorter", bias.accuracyChosenShorter());
    json.putPOJO("style_splits", splits);
    AtomicFiles.writeString(
        outDir.resolve("eval.json"), Json.PRETTY.writeValueAsString(json) + "\n");
    String title = "Reward margins on " + test.getFileName();
    Plots.marginHistogram(metrics, title, outDir.resolve("margin-histogram.png"));
    Plots.reliability(
        metrics, "Reliability of P(chosen > rejected)", outDir.resolve("reliability.png"));
    Plots.styleSplits(
        splits, "Accuracy by style on " + test.getFileName(), outDir.resolve("style-splits.png"));
    PrintWriter log = spec.commandLine().getOut();
    log.printf(
        Locale.ROOT,
        "pairs: %d%naccuracy: %.4f%nmean margin: %.4f%nECE: %.4f%n",
        metrics.pairs(),
        metrics.accuracy(),
        metrics.meanMargin(),
        metrics.ece());
    log.printf(
        Locale.ROOT,
        "length bias%s: reward-length correlation %.3f (Spearman %.3f); accuracy where the chosen answer is longer %.4f (%d pairs), shorter %.4f (%d pairs)%n",
        corrected ? " (after the model's length correction)" : "",
        bias.pearson(),
        bias.spearman(),
        bias.accuracyChosenLonger(),
        bias.chosenLonger(),
        bias.accuracyChosenShorter(),
        bias.chosenShorter());
    for (org.ser4j.eval.StyleSplit split : splits) {
      log.println(split.line());
    }
    log.println(
        "wrote "
            + outDir.resolve("eval.json")
            + ", margin-histogram.png, reliability.png, style-splits.png");
    log.flush();
    return 0;
  }
}
