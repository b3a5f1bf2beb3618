package org.ser4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.candidates.CandidateFile;
import org.ser4j.data.candidates.Candidates;
import org.ser4j.data.candidates.ReferenceJudgments;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.PairWriter;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.data.split.Splits;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `ser data candidates`: judged best-of-n candidate sets from pairs against one reference answer,
 * on held-out prompts, and the other prompts' pairs to train an RM on.
 */
@Command(
    name = "candidates",
    mixinStandardHelpOptions = true,
    description =
        "Build judged candidate sets for ser best-of-n from pairs that each put one system's answer against a reference answer (AlpacaEval): every non-reference response becomes a candidate of its prompt with gold score 1 where the judge preferred it over the reference, else 0. "
            + "Prompts are split as ser train splits them (--test-fraction, --seed): the held-out prompts' candidates go to OUT/candidates.jsonl and their pairs to OUT/test.jsonl (for ser eval), the other prompts' pairs to OUT/train.jsonl.")
public final class DataCandidatesCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--input",
      paramLabel = "FILE",
      required = true,
      description =
          "Pairs with chosen_model and rejected_model fields, such as ../shared/data/alpacaeval/pairs.jsonl.gz; required.")
  Path input;

  @Option(
      names = "--reference",
      paramLabel = "MODEL",
      description =
          "The reference system (default: the one model that answers in every pair, detected).")
  String reference;

  @Option(
      names = "--test-fraction",
      paramLabel = "F",
      defaultValue = "0.2",
      description =
          "Fraction of pairs whose prompts are held out as candidate sets, split by prompt as ser train splits (default: ${DEFAULT-VALUE}).")
  double testFraction;

  @Option(
      names = "--train-pairs",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Write at most N pairs of the other prompts to OUT/train.jsonl, a seeded sample; 0 = all (default: ${DEFAULT-VALUE}).")
  int trainPairs;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "42",
      description = "Seed of the prompt split and the sample (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Override
  public Integer call() throws Exception {
    // Records the pair reader rejects (an empty answer) are skipped and counted, not fatal.
    PairReader.ReadResult read =
        PairReader.readAll(input, ReadOptions.defaults().withSkipBad(true));
    List<PreferencePair> pairs = Splits.dropTies(read.pairs()).kept();
    Map<Long, ReferenceJudgments.Sides> sides = ReferenceJudgments.readSides(input);
    String ref = reference != null ? reference : ReferenceJudgments.detectReference(pairs, sides);
    Splits.TrainTest split = Splits.byPrompt(pairs, testFraction, seed);
    ReferenceJudgments.Result judged = ReferenceJudgments.candidates(split.test(), sides, ref);
    List<PreferencePair> train = new ArrayList<>(split.train());
    if (trainPairs > 0 && trainPairs < train.size()) {
      Collections.shuffle(train, new Random(seed));
      train = new ArrayList<>(train.subList(0, trainPairs));
      // Back in file order, so the sample reads like the file.
      train.sort((a, b) -> Long.compare(a.source().line(), b.source().line()));
    }
    CandidateFile.write(out.resolve("candidates.jsonl"), judged.candidates());
    PairWriter.write(out.resolve("train.jsonl"), train);
    PairWriter.write(out.resolve("test.jsonl"), split.test());
    int total = judged.candidates().stream().mapToInt(Candidates::size).sum();
    double wins =
        judged.candidates().stream()
            .flatMapToDouble(c -> java.util.Arrays.stream(c.scores()))
            .sum();
    PrintWriter o = spec.commandLine().getOut();
    o.printf(
        java.util.Locale.ROOT,
        "reference: %s%nheld-out prompts: %d, candidates: %d (%.1f per prompt), beat the reference: %.3f%n"
            + "pairs without the reference: %d, a system repeated for a prompt: %d, records skipped: %s%n"
            + "training pairs of the other prompts: %d of %d%n",
        ref,
        judged.candidates().size(),
        total,
        (double) total / Math.max(1, judged.candidates().size()),
        wins / Math.max(1, total),
        judged.withoutReference(),
        judged.repeated(),
        read.skipped().summary(),
        train.size(),
        split.train().size());
    o.println(
        "wrote "
            + out.resolve("candidates.jsonl")
            + ", "
            + out.resolve("train.jsonl")
            + ", "
            + out.resolve("test.jsonl")
            + " (the held-out prompts' pairs, for ser eval)");
    o.flush();
    return 0;
  }
}
