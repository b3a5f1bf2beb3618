package org.ser4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ser4j.data.format.DatasetStats;
import org.ser4j.util.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `ser data stats FILE`: counts, skipped records by reason, lengths, multi-turn share. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description =
        "Print counts, skipped records by reason, length percentiles (characters) and the share of multi-turn prompts. Bad records are always counted and skipped here.")
public final class DataStatsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "A preference file (.jsonl or .jsonl.gz).")
  Path file;

  @Option(
      names = "--json",
      description = "Print one JSON object instead of text (default: ${DEFAULT-VALUE}).")
  boolean json;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "42",
      description = "Seed for --pairing best-vs-random and all-pairs (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin ReadOptionsMixin read;

  @Override
  public Integer call() throws Exception {
    DatasetStats stats = DatasetStats.of(file, read.toReadOptions(seed, true));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.PRETTY.writeValueAsString(toJson(stats)));
    } else {
      printText(stats, out);
    }
    out.flush();
    return 0;
  }

  static ObjectNode toJson(DatasetStats stats) {
    ObjectNode node = Json.PRETTY.createObjectNode();
    node.put("file", stats.file());
    node.put("format", stats.format() == null ? null : stats.format().cliName());
    node.put("records", stats.records());
    node.put("pairs", stats.pairs());
    ObjectNode skipped = node.putObject("skipped");
    skipped.put("total", stats.skipped().total());
    ObjectNode byReason = skipped.putObject("by_reason");
    stats.skipped().byReason().forEach(byReason::put);
    skipped.putPOJO("examples", stats.skipped().examples());
    node.put("identical_responses", stats.ties());
    node.put("multi_turn_prompts", stats.multiTurnPrompts());
    node.put("multi_turn_share", stats.multiTurnShare());
    node.putPOJO("length_chars", stats.lengths());
    return node;
  }

  private static void printText(DatasetStats stats, PrintWriter out) {
    out.println("file: " + stats.file());
    out.println("format: " + (stats.format() == null ? "(empty file)" : stats.format().cliName()));
    out.println("records: " + stats.records());
    out.println("pairs: " + stats.pairs());
    out.println("skipped: " + stats.skipped().total());
    stats.skipped().byReason().forEach((reason, n) -> out.printf("  %-22s %d%n", reason + ":", n));
    if (!stats.skipped().examples().isEmpty()) {
      out.println("first skipped:");
      stats.skipped().examples().forEach(e -> out.println("  " + e));
    }
    out.println("identical responses: " + stats.ties() + " (dropped before training)");
    out.printf(
        Locale.ROOT,
        "multi-turn prompts: %d (%.1f%%)%n",
        stats.multiTurnPrompts(),
        100 * stats.multiTurnShare());
    out.println("length in characters:");
    out.printf("  %-10s", "");
    Map<String, Number> first = stats.lengths().values().iterator().next();
    first.keySet().forEach(k -> out.printf("%9s", k));
    out.println();
    stats
        .lengths()
        .forEach(
            (name, summary) -> {
              out.printf("  %-10s", name);
              summary.values().forEach(v -> out.printf(Locale.ROOT, "%9s", v));
              out.println();
            });
  }
}
