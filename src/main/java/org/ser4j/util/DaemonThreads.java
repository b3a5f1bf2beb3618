package org.ser4j.util;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Worker pools whose threads do not keep the JVM alive when a command is done. */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** A fixed pool of {@code threads} daemon threads, each named {@code name}. */
  public static ExecutorService pool(int threads, String name) {
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }
}
