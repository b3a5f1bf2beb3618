package org.ser4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.format.PairWriter;
import org.ser4j.data.format.ScalePairs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `ser data scale-pairs`: a large file for scale and memory tests, from AlpacaEval judgments. */
@Command(
    name = "scale-pairs",
    mixinStandardHelpOptions = true,
    description =
        "Write a large preference file for scale tests: AlpacaEval responses to the same prompt paired anew, the model with the higher overall win rate in the file chosen; beyond the about 960k such pairs, an answer to the prompt chosen over an answer to another prompt. A proxy label: for time and memory, not accuracy.")
public final class DataScalePairsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--from",
      paramLabel = "FILE",
      required = true,
      description =
          "AlpacaEval judgments, such as ../shared/data/alpacaeval/pairs.jsonl.gz; required.")
  Path from;

  @Option(
      names = "--pairs",
      paramLabel = "N",
      defaultValue = "200000",
      description = "Pairs to write (default: ${DEFAULT-VALUE}).")
  int pairs;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "42",
      description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Output (.jsonl or .jsonl.gz).")
  Path out;

  @Override
  public Integer call() throws Exception {
    List<PreferencePair> generated = ScalePairs.generate(from, pairs, seed);
    PairWriter.write(out, generated);
    spec.commandLine().getOut().println("wrote " + generated.size() + " pairs to " + out);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
