package org.ser4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.testing.SharedData;
import picocli.CommandLine;

class CliTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  /**
   * The shared HH-RLHF file split by `ser data split` (seed 42, 80/20 by prompt), cut to the first
   * {@code trainPairs} training and {@code testPairs} test pairs: {train file, test file}.
   */
  static java.nio.file.Path[] hhSplit(java.nio.file.Path dir, int trainPairs, int testPairs)
      throws java.io.IOException {
    String hh =
        org.ser4j.testing.SharedData.require(org.ser4j.testing.SharedData.HH_RLHF).toString();
    java.nio.file.Path split = dir.resolve("split");
    org.junit.jupiter.api.Assertions.assertEquals(
        0,
        run(
                "data",
                "split",
                "--train",
                hh,
                "--test-fraction",
                "0.2",
                "--seed",
                "42",
                "--skip-bad",
                "--labeled-fraction",
                "1.0",
                "--out",
                split.toString())
            .code());
    java.nio.file.Path train = dir.resolve("train.jsonl");
    java.nio.file.Path test = dir.resolve("test.jsonl");
    java.nio.file.Files.write(
        train,
        java.nio.file.Files.readAllLines(split.resolve("labeled.jsonl")).subList(0, trainPairs));
    java.nio.file.Files.write(
        test, java.nio.file.Files.readAllLines(split.resolve("test.jsonl")).subList(0, testPairs));
    return new java.nio.file.Path[] {train, test};
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SerCli.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void helpListsEveryCommand() {
    Result r = run("--help");
    assertEquals(0, r.code());
    for (String name : SerCli.commandLine().getSubcommands().keySet()) {
      assertTrue(r.out().contains("  " + name + " "), "--help lists " + name + ":\n" + r.out());
    }
  }

  /**
   * Learner engines are found by name on the class path; the core's has only `local`, and asking
   * for another says which there are before anything is read or written.
   */
  @Test
  void anEngineNotOnTheClassPathIsAClearError(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    assertEquals(
        java.util.List.of("local"),
        org.ser4j.ser.LearnerEngines.available().stream()
            .map(org.ser4j.ser.LearnerEngine::name)
            .toList());
    java.nio.file.Path out = dir.resolve("run");
    Result r =
        run("evolve", "--engine", "spark", "--train", "nowhere.jsonl", "--out", out.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(
        r.err()
            .contains(
                "--engine spark: no such learner engine on this class path (there are: local); the Spark engine comes with ser-spark"),
        r.err());
    assertTrue(!java.nio.file.Files.exists(out), "nothing written");
  }

  /** Every option of every command shows its default in --help (flags and required ones aside). */
  @Test
  void everyOptionShowsItsDefault() {
    checkDefaults(SerCli.commandLine());
  }

  /** Picocli warns on stderr (and shows the raw text) where a description has a bare %. */
  @Test
  void everyHelpTextFormats() {
    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      usages(SerCli.commandLine());
    } finally {
      System.setErr(stderr);
    }
    String text = warnings.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(!text.contains("picocli WARN"), "write % as %% in --help texts:\n" + text);
  }

  private static void usages(CommandLine cmd) {
    cmd.getUsageMessage();
    cmd.getSubcommands().values().forEach(CliTest::usages);
  }

  private static void checkDefaults(CommandLine cmd) {
    for (CommandLine.Model.OptionSpec option : cmd.getCommandSpec().options()) {
      if (option.usageHelp()
          || option.versionHelp()
          || option.required()
          || option.group() != null
              && option.group().exclusive()
              && !option.longestName().equals("--test-fraction")) {
        continue;
      }
      String description = String.join(" ", option.description());
      if (description.contains("required")) {
        continue; // required in some commands (checked when run), so it has no default to show
      }
      assertTrue(
          description.contains("default"),
          cmd.getCommandName() + " " + option.longestName() + " shows no default: " + description);
    }
    cmd.getSubcommands().values().forEach(CliTest::checkDefaults);
  }

  @Test
  void dataStatsPrintsThePairCountOfTheSharedHhFile() throws Exception {
    Path file = SharedData.require(SharedData.HH_RLHF);
    Result text = run("data", "stats", file.toString());
    assertEquals(0, text.code(), text.err());
    Matcher m = Pattern.compile("(?m)^pairs: (\\d+)$").matcher(text.out());
    assertTrue(m.find(), text.out());
    Result json = run("data", "stats", "--json", file.toString());
    JsonNode node = new ObjectMapper().readTree(json.out());
    assertEquals(Long.parseLong(m.group(1)), node.get("pairs").asLong());
    assertEquals(
        node.get("records").asLong(),
        node.get("pairs").asLong() + node.get("skipped").get("total").asLong());
    assertTrue(node.get("skipped").get("by_reason").has("empty-response"));
  }

  @Test
  void badRecordFailsWithFileLineFieldAndAHint() throws Exception {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(
        file,
        "{\"prompt\": \"p\", \"chosen\": \"a\", \"rejected\": \"b\"}\n{\"prompt\": \"p\", \"chosen\": 3, \"rejected\": \"b\"}\n");
    Result r =
        run(
            "data",
            "split",
            "--train",
            file.toString(),
            "--test-fraction",
            "0.5",
            "--out",
            dir.resolve("out").toString());
    assertEquals(1, r.code());
    assertTrue(
        r.err()
            .contains(
                file
                    + ":2: field 'chosen': expected a string or a list of {role, content} messages, got a number"),
        r.err());
    assertTrue(r.err().contains("--skip-bad"), r.err());
  }

  @Test
  void dataSplitWritesTheThreeParts() throws Exception {
    Path file = SharedData.require(SharedData.ULTRAFEEDBACK_TRAIN);
    Path out = dir.resolve("split");
    Result r =
        run(
            "data",
            "split",
            "--train",
            file.toString(),
            "--test-fraction",
            "0.2",
            "--labeled-fraction",
            "0.15",
            "--seed",
            "3",
            "--skip-bad",
            "--out",
            out.toString());
    assertEquals(0, r.code(), r.err());
    long labeled = Files.readAllLines(out.resolve("labeled.jsonl")).size();
    long pool = Files.readAllLines(out.resolve("unlabeled-gold.jsonl")).size();
    long test = Files.readAllLines(out.resolve("test.jsonl")).size();
    assertTrue(
        r.out().contains("labeled: " + labeled + ", unlabeled: " + pool + ", test: " + test),
        r.out());
    assertTrue(
        Math.abs(labeled - 0.15 * (labeled + pool)) <= 1,
        "labeled " + labeled + " of " + (labeled + pool));
  }

  @Test
  void unknownFormatNameIsAClearError() {
    Result r = run("data", "stats", "--format", "csv", SharedData.HH_RLHF.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("unknown format 'csv'"), r.err());
  }

  @Test
  void generatesBashCompletionForEveryCommand() {
    Result r = run("generate-completion");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("complete -F"), r.out());
    for (String command : java.util.List.of("evolve", "info", "serve", "experiment")) {
      assertTrue(r.out().contains(command), command);
    }
  }
}
