package org.ser4j.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/**
 * How a server command ends: on Ctrl-C or SIGTERM the JVM runs {@code stop} once (close the server,
 * flush what it holds); the command waits on the returned latch until that is done.
 */
final class StopHook {
  /** What stopping does; may throw, which is reported on {@code log}. */
  interface Stop {
    void run() throws Exception;
  }

  private StopHook() {}

  static CountDownLatch install(Stop stop, PrintWriter log) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    stop.run();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } catch (Exception e) {
                    log.println("error while stopping: " + e.getMessage());
                  } finally {
                    log.flush();
                    stopped.countDown();
                  }
                }));
    return stopped;
  }
}
