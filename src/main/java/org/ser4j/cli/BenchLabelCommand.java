package org.ser4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ser4j.label.LabelDesk;
import org.ser4j.label.LabelLoad;
import org.ser4j.label.LabelQueue;
import org.ser4j.label.LabelServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `ser bench-label`: simulated annotators against `ser label`'s server; nothing lost or doubled.
 */
@Command(
    name = "bench-label",
    mixinStandardHelpOptions = true,
    description =
        "Load-test the labeling server: simulated annotators label (and now and then undo) concurrently over HTTP on loopback for a bounded time; prints labels/s, p50/p99 latency, and checks the label file against what the server confirmed (lost, extra, duplicated labels; with --overlap 1, pairs two annotators labeled). Exits 1 if anything was lost or doubled.")
public final class BenchLabelCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--queue",
      required = true,
      paramLabel = "FILE",
      description = "Pairs to label, such as a ser data split's unlabeled.jsonl.")
  Path queue;

  @Option(
      names = "--annotators",
      paramLabel = "N",
      defaultValue = "20",
      description = "Simulated annotators (default: ${DEFAULT-VALUE}).")
  int annotators;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      defaultValue = "30",
      description = "How long they label (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--overlap",
      paramLabel = "K",
      defaultValue = "1",
      description = "Labels wanted per pair (default: ${DEFAULT-VALUE}).")
  int overlap;

  @Option(
      names = "--undo-rate",
      paramLabel = "P",
      defaultValue = "0.05",
      description =
          "Chance that an annotator undoes the label just given (default: ${DEFAULT-VALUE}).")
  double undoRate;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("ser-bench-label");
    Path out = dir.resolve("labels.jsonl");
    LabelLoad.Result r;
    try (LabelDesk desk =
            LabelDesk.open(
                LabelQueue.read(queue), out, overlap, 600_000, 1, System::currentTimeMillis);
        LabelServer server = new LabelServer(desk, null, null)) {
      int port = server.start("127.0.0.1", 0);
      r = LabelLoad.run("http://127.0.0.1:" + port, out, annotators, seconds, undoRate);
    }
    PrintWriter log = spec.commandLine().getOut();
    log.printf(
        Locale.ROOT,
        "%d annotators, %.1f s, overlap %d: %d labels confirmed (%.0f labels/s), %d undone, %d requests, latency p50 %.1f ms, p99 %.1f ms%n"
            + "label file: %d lines; lost %d, extra %d, duplicated %d%s%n",
        r.annotators(),
        r.seconds(),
        overlap,
        r.confirmed(),
        r.labelsPerSecond(),
        r.undos(),
        r.requests(),
        r.p50Millis(),
        r.p99Millis(),
        r.fileLines(),
        r.lost(),
        r.extra(),
        r.duplicates(),
        overlap == 1 ? ", pairs labeled by two annotators " + r.sharedPairs() : "");
    log.flush();
    Files.deleteIfExists(out);
    Files.deleteIfExists(dir);
    boolean clean =
        r.lost() == 0
            && r.extra() == 0
            && r.duplicates() == 0
            && (overlap > 1 || r.sharedPairs() == 0);
    return clean ? 0 : 1;
  }
}
