package org.ser4j.cli;

import java.io.PrintWriter;
import org.ser4j.data.BadRecordException;
import org.ser4j.data.DataFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `ser` command: Self-Evolved Reward Learning on the JVM. */
@Command(
    name = "ser",
    mixinStandardHelpOptions = true,
    version = "ser4j 0.1.0",
    description = "SER4J: Self-Evolved Reward Learning for LLMs on the JVM.",
    subcommands = {
      DataCommand.class,
      TrainCommand.class,
      EvalCommand.class,
      ScoreCommand.class,
      EvolveCommand.class,
      ExperimentCommand.class,
      ServeCommand.class,
      BestOfNCommand.class,
      AskCommand.class,
      LabelCommand.class,
      ExportCommand.class,
      ExportOnnxCommand.class,
      ScaleCommand.class,
      InfoCommand.class,
      BenchCommand.class,
      BenchServerCommand.class,
      BenchLabelCommand.class,
      picocli.AutoComplete.GenerateCompletion.class,
      CommandLine.HelpCommand.class
    })
public final class SerCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams; returns the exit code (0 ok, 1 failed, 2 usage). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    return execute(cli, args);
  }

  /** Runs {@code args} on {@code cli}, with the defaults of --config and --from-run first. */
  public static int execute(CommandLine cli, String[] args) {
    try {
      SettingsFile.applyTo(cli, args);
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      cli.getErr().println("ser: " + e.getMessage());
      cli.getErr().flush();
      return 2;
    }
    return cli.execute(args);
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new SerCli());
    EvolveCommand.plugEngines(cli.getSubcommands().get("evolve"));
    return configured(cli);
  }

  /**
   * {@code cli} with `ser`'s conventions: enum values in any case, and errors reported as one line
   * (file, line and field for bad data), exit code 1; another front end (ser-spark) shares them.
   */
  public static CommandLine configured(CommandLine cli) {
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    GroupedHelp.install(cli);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          if (e instanceof BadRecordException) {
            err.println("ser: bad record: " + e.getMessage());
            if (commandLine.getCommandSpec().findOption(SkipBadOption.NAME) != null) {
              err.println("ser: pass --skip-bad to skip and count such records instead");
            }
          } else if (e instanceof DataFileException || e instanceof IllegalArgumentException) {
            err.println("ser: " + e.getMessage());
          } else {
            err.println("ser: failed: " + e);
            if (System.getenv("SER_DEBUG") != null) {
              e.printStackTrace(err);
            }
          }
          err.flush();
          return 1;
        });
    return cli;
  }
}
