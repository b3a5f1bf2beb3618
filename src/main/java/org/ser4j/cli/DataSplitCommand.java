package org.ser4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.format.PairWriter;
import org.ser4j.data.split.SerDataset;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `ser data split`: writes the SER split that training commands would use, so it can be read and
 * checked: labeled.jsonl, unlabeled-gold.jsonl (the pool, in its hidden gold order),
 * unlabeled.jsonl (the pool with no labels, as `ser evolve --unlabeled` reads it) and test.jsonl.
 */
@Command(
    name = "split",
    mixinStandardHelpOptions = true,
    description =
        "Write the labeled seed (labeled.jsonl), the unlabeled pool with its hidden gold labels, for checking (unlabeled-gold.jsonl) and without them, as `ser evolve --unlabeled` reads a pool (unlabeled.jsonl), and the test set (test.jsonl) that training commands would use, as JSON Lines in --out.")
public final class DataSplitCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DataSpecMixin data;

  @Option(
      names = "--labeled-fraction",
      paramLabel = "F",
      defaultValue = "0.15",
      description =
          "Fraction of training pairs whose human labels are used: the labeled seed; the rest is the unlabeled pool (default: ${DEFAULT-VALUE}, as in the paper).")
  double labeledFraction;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Override
  public Integer call() throws Exception {
    SerDataset dataset = SerDataset.load(data.toSpec(labeledFraction));
    PairWriter.write(out.resolve("labeled.jsonl"), dataset.labeled());
    PairWriter.write(out.resolve("test.jsonl"), dataset.test());
    List<PreferencePair> pool = new ArrayList<>(dataset.pool().size());
    for (UnlabeledPair p : dataset.pool()) {
      // Gold order: the file then reads back as ordinary labeled pairs for checking.
      boolean first = dataset.gold().firstPreferred(p);
      pool.add(
          new PreferencePair(
              p.id(),
              p.prompt(),
              first ? p.first() : p.second(),
              first ? p.second() : p.first(),
              p.source()));
    }
    PairWriter.write(out.resolve("unlabeled-gold.jsonl"), pool);
    PairWriter.writeUnlabeled(out.resolve("unlabeled.jsonl"), dataset.pool());
    PrintWriter o = spec.commandLine().getOut();
    o.printf(
        "labeled: %d, unlabeled: %d, test: %d (identical-response pairs dropped: %d; %s)%n",
        dataset.labeled().size(),
        dataset.pool().size(),
        dataset.test().size(),
        dataset.counts().tiesDropped(),
        dataset.counts().trainSkipped().summary());
    o.println(
        "wrote "
            + out.resolve("labeled.jsonl")
            + ", "
            + out.resolve("unlabeled-gold.jsonl")
            + ", "
            + out.resolve("unlabeled.jsonl")
            + ", "
            + out.resolve("test.jsonl"));
    o.flush();
    return 0;
  }
}
