package org.ser4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.ser4j.label.Agreement;
import org.ser4j.label.LabelDesk;
import org.ser4j.label.LabelQueue;
import org.ser4j.label.LabelServer;
import org.ser4j.util.ApiKey;
import org.ser4j.util.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `ser label`: a labeling page on which people answer the pairs `ser ask` chose. */
@Command(
    name = "label",
    mixinStandardHelpOptions = true,
    description =
        "Serve a labeling page for the pairs in --queue (what ser ask writes, or any unlabeled pool): the prompt, two answers side by side in an order drawn per pair and annotator, keys 1/2/3/S/U (or arrows) for answer 1 / answer 2 / tie / skip / undo. Each label is forced to disk in --out before the next pair shows; after a crash or restart everyone continues where they stopped. The file is what ser evolve --resume DIR --add-labels FILE reads (with --overlap above 1, give it --resolved's file). --stats reports agreement without serving.")
public final class LabelCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--queue",
      required = true,
      paramLabel = "FILE",
      description =
          "The pairs to label, in the order to ask them: ser ask's output or an unlabeled pool ({prompt, response_a, response_b} or {prompt, responses: [...]}).")
  Path queue;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description =
          "The label file (JSON Lines, appended to; created if missing): the pairwise format with annotator, time and shown_left.")
  Path out;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on; anything beyond loopback requires --api-key-file (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "8001",
      description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--guidelines",
      paramLabel = "FILE",
      description = "Text shown to annotators above the pairs (default: none).")
  Path guidelines;

  @Option(
      names = "--overlap",
      paramLabel = "K",
      defaultValue = "1",
      description =
          "How many annotators label each pair; above 1, agreement can be measured (default: ${DEFAULT-VALUE}).")
  int overlap;

  @Option(
      names = "--api-key-file",
      paramLabel = "FILE",
      description =
          "Require this key (the file's one line): entered once on the page, then kept in an HttpOnly, SameSite=Strict cookie (default: none; required beyond loopback).")
  Path apiKeyFile;

  @Option(
      names = "--lease-minutes",
      paramLabel = "M",
      defaultValue = "10",
      description =
          "How long a pair shown to someone is held for them; an abandoned page's pair goes to others after this (default: ${DEFAULT-VALUE}).")
  double leaseMinutes;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Seed of the left/right order drawn per pair and annotator (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--stats",
      description =
          "Print the labels' statistics (labels per annotator, agreement and Cohen's kappa, position bias) as JSON and exit, without serving (default: false).")
  boolean stats;

  @Option(
      names = "--resolved",
      paramLabel = "FILE",
      description =
          "Also write one label per pair to FILE, for --add-labels when --overlap is above 1; pairs the annotators disagree on follow --disagreements (default: none).")
  Path resolved;

  @Option(
      names = "--disagreements",
      paramLabel = "RULE",
      defaultValue = "majority",
      description =
          "For --resolved: majority (the answer most labels gave; a pair whose top answers tie is left out) or drop (only pairs every label agrees on) (default: ${DEFAULT-VALUE}).")
  String disagreements;

  @Mixin SkipBadOption skip;

  @Override
  public Integer call() throws Exception {
    Agreement.Resolve rule =
        switch (disagreements) {
          case "majority" -> Agreement.Resolve.MAJORITY;
          case "drop" -> Agreement.Resolve.DROP;
          default ->
              throw new CommandLine.ParameterException(
                  spec.commandLine(),
                  "--disagreements: expected majority or drop, got " + disagreements);
        };
    ApiKey key = apiKeyFile == null ? null : ApiKey.read(apiKeyFile);
    if (!stats && key == null && !ServeCommand.isLoopback(host)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--host "
              + host
              + " is reachable beyond this machine: give --api-key-file FILE so that only people with the key can label");
    }
    String text = guidelines == null ? null : Files.readString(guidelines, StandardCharsets.UTF_8);
    PrintWriter log = spec.commandLine().getOut();
    LabelQueue q = LabelQueue.read(queue, skip.skipBad);
    if (q.skipped().total() > 0) {
      log.printf("note: %s: %s%n", queue, q.skipped().summary());
    }
    if (q.renamed() > 0) {
      log.printf(
          "note: %s: %d pairs repeat an earlier pair's id; told apart as ID~2, ID~3, ...%n",
          queue, q.renamed());
    }
    LabelDesk desk =
        LabelDesk.open(
            q, out, overlap, Math.round(leaseMinutes * 60_000), seed, System::currentTimeMillis);
    if (desk.note() != null) {
      log.println("note: " + desk.note());
    }
    if (stats) {
      try (desk) {
        ObjectNode s = LabelServer.statsJson(desk);
        log.println(Json.PRETTY.writeValueAsString(s));
        writeResolved(desk, rule, log);
      }
      log.flush();
      return 0;
    }
    LabelServer server = new LabelServer(desk, text, key);
    int actual = server.start(host, port);
    CountDownLatch stopped =
        StopHook.install(
            () -> {
              server.close();
              log.printf("stopped; %d labels in %s%n", desk.annotations().size(), out);
              writeResolved(desk, rule, log);
              desk.close();
            },
            log);
    LabelDesk.Progress p = desk.progress("");
    log.printf(
        Locale.ROOT,
        "labeling %d pairs (%d done, %d labels on file, overlap %d) on http://%s:%d/ ; labels go to %s%n",
        p.pairs(),
        p.pairsDone(),
        p.labels(),
        overlap,
        host,
        actual,
        out);
    log.printf(
        "then: ser evolve --resume RUN --add-labels %s%n",
        overlap > 1 && resolved != null ? resolved : out);
    log.flush();
    stopped.await();
    return 0;
  }

  private void writeResolved(LabelDesk desk, Agreement.Resolve rule, PrintWriter log)
      throws java.io.IOException {
    if (resolved != null) {
      int n = desk.writeResolved(resolved, rule);
      log.printf(
          "wrote %d resolved labels to %s (disagreements: %s)%n", n, resolved, disagreements);
    }
  }
}
