package org.ser4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.ser4j.model.RewardScorer;
import org.ser4j.serve.RewardServer;
import org.ser4j.util.ApiKey;
import org.ser4j.util.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `ser serve`: the reward model as an HTTP service for RLHF trainers. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Serve a reward model over HTTP: POST /get_reward (OpenRLHF remote RM), POST /score, POST /compare, GET /health, GET /metrics. Ctrl-C or SIGTERM stops it gracefully.")
public final class ServeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ModelOptions model;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "8000",
      description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--max-body-bytes",
      paramLabel = "N",
      defaultValue = "16777216",
      description = "Largest request body (default: ${DEFAULT-VALUE}).")
  long maxBody;

  @Option(
      names = "--max-texts",
      paramLabel = "N",
      defaultValue = "1024",
      description = "Most texts in one request (default: ${DEFAULT-VALUE}).")
  int maxTexts;

  @Option(
      names = "--max-wait-ms",
      paramLabel = "N",
      defaultValue = "5",
      description =
          "How long the batcher waits for more requests to join a batch (default: ${DEFAULT-VALUE}).")
  long maxWait;

  @Option(
      names = "--max-batch",
      paramLabel = "N",
      defaultValue = "1024",
      description = "Most texts the batcher scores at once (default: ${DEFAULT-VALUE}).")
  int maxBatch;

  @Option(
      names = "--api-key-file",
      paramLabel = "FILE",
      description =
          "Require this key (the file's one line) as 'Authorization: Bearer KEY' or 'X-API-Key: KEY' on the scoring endpoints; GET /health and /metrics stay open (default: none, no key).")
  Path apiKeyFile;

  @Override
  public Integer call() throws Exception {
    ApiKey key = apiKeyFile == null ? null : ApiKey.read(apiKeyFile);
    RewardScorer rm = model.open(Progress.quiet());
    RewardServer server =
        new RewardServer(
            rm,
            model.dir.toString(),
            new RewardServer.Limits(maxBody, maxTexts, maxWait, maxBatch),
            key);
    int actual = server.start(host, port);
    CountDownLatch stopped =
        StopHook.install(
            () -> {
              server.stop(30_000);
              rm.close();
            },
            spec.commandLine().getErr());
    spec.commandLine()
        .getOut()
        .printf(
            "serving %s (%s, reward scale %s) on http://%s:%d%n",
            model.dir, rm.describe(), rm.scale().method(), host, actual);
    if (key != null) {
      spec.commandLine().getOut().println("API key required on POST (from " + apiKeyFile + ")");
    } else if (!isLoopback(host)) {
      spec.commandLine()
          .getErr()
          .println(
              "warning: listening on "
                  + host
                  + " without an API key; anyone who reaches this port can score (see --api-key-file)");
    }
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }

  static boolean isLoopback(String host) {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
