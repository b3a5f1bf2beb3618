package org.ser4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ser4j.bench.ServerBench;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.model.head.HeadModel;
import org.ser4j.util.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `ser bench-server`: options and the table; the measurement is {@link ServerBench}'s. */
@Command(
    name = "bench-server",
    mixinStandardHelpOptions = true,
    description =
        "Load-test /get_reward with concurrent clients on loopback: throughput against offline scoring of the same texts, p50/p99 latency, and a check that every response matches its request.")
public final class BenchServerCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ModelOptions model;

  @Option(
      names = "--data",
      paramLabel = "FILE",
      required = true,
      description =
          "Pairs whose responses become queries, such as ../shared/data/hh-rlhf/harmless-base-test.jsonl.gz; required.")
  Path data;

  @Option(
      names = "--clients",
      paramLabel = "N",
      defaultValue = "32",
      description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--requests",
      paramLabel = "N",
      defaultValue = "8",
      description = "Requests per client (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(
      names = "--texts-per-request",
      paramLabel = "N",
      defaultValue = "4",
      description = "Queries per request (default: ${DEFAULT-VALUE}).")
  int perRequest;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Also write the figures as JSON (default: none).")
  Path out;

  @Override
  public Integer call() throws Exception {
    HeadModel rm =
        HeadModel.load(model.dir); // it times the frozen encoder against ONNX Runtime alone
    ServerBench.Load load = new ServerBench.Load(clients, requests, perRequest);
    ServerBench.Result r =
        ServerBench.run(
            rm,
            model.dir.toString(),
            PairReader.readAll(data, ReadOptions.defaults().withSkipBad(true)).pairs(),
            load,
            model.runtime.threadCount(),
            model.runtime.batchSize);
    PrintWriter log = spec.commandLine().getOut();
    log.printf(Locale.ROOT, "%-40s %12s%n", "measure", "value");
    log.printf(Locale.ROOT, "%-40s %12.1f%n", "offline score texts/s", r.offlineTextsPerS());
    log.printf(
        Locale.ROOT,
        "%-40s %12.1f%n",
        "/get_reward texts/s (" + clients + " clients)",
        r.serverTextsPerS());
    log.printf(Locale.ROOT, "%-40s %12.3f%n", "server / offline", r.serverVsOffline());
    log.printf(Locale.ROOT, "%-40s %12.3f%n", "p50 latency (s)", r.p50Seconds());
    log.printf(Locale.ROOT, "%-40s %12.3f%n", "p99 latency (s)", r.p99Seconds());
    log.printf(Locale.ROOT, "%-40s %12d%n", "failed requests", r.failedRequests());
    log.printf(
        Locale.ROOT, "%-40s %12d%n", "rewards differing from offline", r.mismatchedRewards());
    log.printf(
        Locale.ROOT,
        "(%d texts: %d clients x %d requests x %d queries; cold caches; %s)%n",
        r.texts(),
        clients,
        requests,
        perRequest,
        rm.encoder().name());
    if (out != null) {
      AtomicFiles.writeString(out, r.json(clients).toPrettyString() + "\n");
    }
    log.flush();
    return r.failedRequests() == 0 && r.mismatchedRewards() == 0 ? 0 : 1;
  }
}
