package org.ser4j.spark;

import java.io.PrintWriter;
import org.ser4j.cli.EvolveCommand;
import org.ser4j.cli.SerCli;
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
    // The core's `ser evolve`, its learner on Spark: the engine is a part of the command (and its
    // options a mixin), not a subclass.
    SparkEngine engine = new SparkEngine();
    CommandLine evolve = new CommandLine(new EvolveCommand(engine));
    evolve.addMixin("spark", engine);
    evolve
        .getCommandSpec()
        .usageMessage()
        .description(
            "ser evolve on Apache Spark: the texts are encoded and the pool is scored on the executors; the head is trained and pairs are selected on the driver. Same options, run directory and resume as ser evolve.");
    CommandLine cli =
        SerCli.configured(new CommandLine(new SparkCli()).addSubcommand("evolve", evolve));
    cli.registerConverter(java.nio.file.Path.class, engine.staged::convert);
    cli.setOut(out);
    cli.setErr(err);
    return org.ser4j.cli.SerCli.execute(cli, args);
  }
}
