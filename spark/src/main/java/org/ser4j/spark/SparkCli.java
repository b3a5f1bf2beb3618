package org.ser4j.spark;

import java.io.PrintWriter;
import org.ser4j.cli.SerCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `ser-spark`: the SER commands that run on Apache Spark. */
@Command(
    name = "ser-spark",
    mixinStandardHelpOptions = true,
    version = "ser4j-spark 0.1.0",
    description = "SER4J on Apache Spark.",
    subcommands = {SparkEvolveCommand.class, CommandLine.HelpCommand.class})
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
    CommandLine cli = SerCli.configured(new CommandLine(new SparkCli()));
    SparkEvolveCommand evolve = cli.getSubcommands().get("evolve").getCommand();
    cli.registerConverter(java.nio.file.Path.class, evolve.staged::convert);
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }
}
