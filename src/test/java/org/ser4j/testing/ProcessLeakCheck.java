package org.ser4j.testing;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test (or class) that leaves a `ser` process running: a server a test started and did
 * not stop would otherwise outlive the suite. Registered for every test class through JUnit's
 * extension auto-detection (src/test/resources/META-INF/services and junit-platform.properties).
 * The process is killed before the test fails, so one leak does not fail the tests after it.
 */
public final class ProcessLeakCheck implements AfterEachCallback, AfterAllCallback {
  private static final String CLI = "org.ser4j.cli.SerCli";

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    check(context.getDisplayName());
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    check(context.getDisplayName());
  }

  private static void check(String test) throws InterruptedException {
    List<ProcessHandle> alive = serProcesses();
    // A process destroyed at the test's very end may take a moment to go.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!alive.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      alive = serProcesses();
    }
    if (alive.isEmpty()) {
      return;
    }
    StringBuilder which = new StringBuilder();
    for (ProcessHandle p : alive) {
      which.append("\n  pid ").append(p.pid()).append(": ");
      String line = commandLine(p);
      which.append(line, 0, Math.min(line.length(), 300));
      p.destroyForcibly();
    }
    throw new AssertionError(test + " left ser processes running (now killed):" + which);
  }

  /** This JVM's descendants that run the ser CLI. */
  static List<ProcessHandle> serProcesses() {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> commandLine(p).contains(CLI))
        .toList();
  }

  /** The whole command line: from /proc (Java's may be cut short), else as Java gives it. */
  static String commandLine(ProcessHandle p) {
    try {
      byte[] raw =
          java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", "" + p.pid(), "cmdline"));
      return new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (java.io.IOException | RuntimeException e) {
      return p.info().commandLine().orElse("");
    }
  }
}
