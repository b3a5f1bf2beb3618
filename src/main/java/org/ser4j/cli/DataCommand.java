package org.ser4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `ser data ...`: look at and prepare preference data. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Inspect and split preference data.",
    subcommands = {
      DataStatsCommand.class,
      DataSplitCommand.class,
      DataScalePairsCommand.class,
      DataCandidatesCommand.class
    })
public final class DataCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
