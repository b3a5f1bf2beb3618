package org.ser4j.spark;

import java.io.PrintWriter;
import org.ser4j.cli.EvolveCommand;
import org.ser4j.cli.SerCli;
import org.ser4j.ser.LearnerEngines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `ser-spark`: the SER commands that run on Apache Spark. */
@Command(
    name = "ser-spark",
    mixinStandardHelpOptions = true,
    version = "ser4j-spark 0.1.0",
    description = "SER4J on Apache Spark.",
    subcommands = {CommandLine.HelpCommand.class})
public final class SparkCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.exit(code);
  }

  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    // The core's `ser evolve` with the engines on this class path, Spark's the default: the same
    // command as `ser evolve --engine spark`, not a subclass.
    EvolveCommand command = new EvolveCommand(LearnerEngines.available(), SparkEngine.NAME);
    CommandLine evolve = EvolveCommand.plugEngines(new CommandLine(command));
    evolve
        .getCommandSpec()
        .usageMessage()
        .description(
            "ser evolve on Apache Spark: the texts are encoded and the pool is scored on the executors; the head is trained and pairs are selected on the driver. Same options, run directory and resume as ser evolve.");
    CommandLine cli =
        SerCli.configured(new CommandLine(new SparkCli()).addSubcommand("evolve", evolve));
    cli.setOut(out);
    cli.setErr(err);
    return org.ser4j.cli.SerCli.execute(cli, args);
  }
}
