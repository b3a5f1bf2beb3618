package org.ser4j.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.ser4j.util.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Settings reused from a file or an earlier run: {@code --config FILE} (lines {@code name = value},
 * the option's name without its dashes) and {@code --from-run DIR} (the {@value #FILE} that every
 * evolve, experiment and train run writes). Options given on the command line win, then the config
 * file, then the run's, then the defaults. The files become picocli's default values, so `--help`'s
 * defaults and the checks are the usual ones.
 */
public final class SettingsFile {
  /** The options a run was started with, as `--from-run` reads them back. */
  public static final String FILE = "options.properties";

  /** Where a run goes, not how it runs: never written, never read back. */
  private static final Set<String> NOT_SETTINGS =
      Set.of("--out", "--resume", "--from-run", "--config", "--add-labels", "--help", "--version");

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Read option values from FILE, lines 'name = value' with the option's name without dashes (for example 'encoder = minilm-l6-q'); options on the command line win (default: none).")
  Path config;

  @Option(
      names = "--from-run",
      paramLabel = "DIR",
      description =
          "Start with the options of the run (or model) in DIR, from its "
              + FILE
              + "; --config and the command line win (default: none).")
  Path fromRun;

  public SettingsFile() {}

  /**
   * Reads {@code --from-run} and {@code --config} from {@code args} before picocli parses them, and
   * makes their values the defaults of {@code cli}'s subcommands that take them.
   */
  static void applyTo(CommandLine cli, String[] args) {
    Properties values = new Properties();
    Path run = valueOf(args, "--from-run");
    if (run != null) {
      values.putAll(read(run.resolve(FILE), "--from-run " + run));
    }
    Path config = valueOf(args, "--config");
    if (config != null) {
      values.putAll(read(config, "--config"));
    }
    if (values.isEmpty()) {
      return;
    }
    setDefaults(cli, values);
  }

  private static void setDefaults(CommandLine cli, Properties values) {
    if (cli.getCommandSpec().findOption("--from-run") != null) {
      cli.setDefaultValueProvider(
          arg ->
              arg instanceof OptionSpec o && !NOT_SETTINGS.contains(o.longestName())
                  ? values.getProperty(o.longestName().substring(2))
                  : null);
    }
    cli.getSubcommands().values().forEach(sub -> setDefaults(sub, values));
  }

  private static Path valueOf(String[] args, String name) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(name) && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith(name + "=")) {
        return Path.of(args[i].substring(name.length() + 1));
      }
    }
    return null;
  }

  private static Properties read(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(what + ": no such file " + file);
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
    return p;
  }

  /**
   * Writes every option of {@code spec} (given or default) but the run's location to {@code
   * dir}/{@value #FILE}, sorted by name, for `--from-run`.
   */
  static void write(CommandSpec spec, Path dir) throws IOException {
    TreeMap<String, String> values = new TreeMap<>();
    for (OptionSpec o : spec.options()) {
      if (NOT_SETTINGS.contains(o.longestName()) || o.usageHelp() || o.versionHelp()) {
        continue;
      }
      Object v = o.getValue();
      if (v == null) {
        continue;
      }
      values.put(o.longestName().substring(2), text(v));
    }
    StringWriter out = new StringWriter();
    out.write("# the options of this run; reuse them with --from-run " + dir + "\n");
    values.forEach((k, v) -> out.write(k + " = " + escape(v) + "\n"));
    AtomicFiles.writeString(dir.resolve(FILE), out.toString());
  }

  private static String text(Object v) {
    if (v instanceof Path p) {
      return p.toAbsolutePath().toString();
    }
    if (v instanceof Collection<?> c) {
      List<String> parts = new ArrayList<>();
      c.forEach(x -> parts.add(text(x)));
      return String.join(",", parts);
    }
    return v.toString();
  }

  /** As java.util.Properties reads it back (backslashes and leading spaces). */
  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\n", "\\n");
  }
}
