package org.ser4j.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite's leak check sees a `ser label` server a test started, and no longer once it is gone.
 */
class ProcessLeakCheckTest {
  @Test
  void seesARunningSerProcessUntilItIsStopped(@TempDir Path dir) throws Exception {
    Path queue = dir.resolve("queue.jsonl");
    Files.writeString(
        queue, "{\"prompt\": \"2 + 2?\", \"response_a\": \"4\", \"response_b\": \"5\"}\n");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.ser4j.cli.SerCli",
                "label",
                "--help")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      // Between fork and exec the child still shows this JVM's command line: wait for exec.
      boolean seen = false;
      for (int i = 0; i < 100 && !seen && p.isAlive(); i++) {
        seen = ProcessLeakCheck.serProcesses().stream().anyMatch(h -> h.pid() == p.pid());
        Thread.sleep(50);
      }
      assertTrue(seen, "a live ser process is seen");
    } finally {
      p.destroyForcibly();
      assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    }
    assertFalse(ProcessLeakCheck.serProcesses().stream().anyMatch(h -> h.pid() == p.pid()));
  }
}
