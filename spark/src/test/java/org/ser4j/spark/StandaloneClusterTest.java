package org.ser4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on loopback, nothing mocked: a master and a worker started as
 * their own JVMs from the Maven jars (a SPARK_HOME whose jars/ links to them, with this module's
 * classes as a jar), `ser-spark evolve` run against it (the driver here, the executors in JVMs the
 * worker launches), and its run compared with `ser evolve` in one process.
 */
class StandaloneClusterTest {
  @TempDir static Path home;
  static final List<Process> daemons = new ArrayList<>();
  static String master;
  static HhSplit split;

  @BeforeAll
  static void startCluster() throws Exception {
    split = HhSplit.writeTo(home);
    Path jars = Files.createDirectories(home.resolve("jars"));
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        Path link = jars.resolve(p.getFileName());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, p.toAbsolutePath());
        }
      }
    }
    jar(Path.of("target", "classes"), jars.resolve("ser4j-spark-classes.jar"));
    int port = freePort();
    master = "spark://127.0.0.1:" + port;
    Process m =
        daemon(
            "master",
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            "" + port,
            "--webui-port",
            "" + freePort());
    awaitLog(m, home.resolve("master.log"), "I have been elected leader");
    // Two workers of one core each: the pool's partitions are read and scored in two JVMs.
    for (int i = 0; i < 2; i++) {
      Process w =
          daemon(
              "worker-" + i,
              "org.apache.spark.deploy.worker.Worker",
              "--host",
              "127.0.0.1",
              "--cores",
              "1",
              "--memory",
              "2g",
              "--webui-port",
              "" + freePort(),
              "--work-dir",
              home.resolve("work-" + i).toString(),
              master);
      awaitLog(w, home.resolve("worker-" + i + ".log"), "Successfully registered with master");
    }
  }

  @AfterAll
  static void stopCluster() {
    daemons.forEach(Process::destroy);
  }

  @Test
  void evolveRunsOnTheClusterAsInOneProcess() throws Exception {
    Path local = home.resolve("local");
    Path cluster = home.resolve("cluster");
    split.evolveInProcess(local);
    SparkEvolveTest.Result r = SparkEvolveTest.spark(split.evolve(cluster, onCluster()));
    try {
      assertEquals(0, r.code(), r.err());
    } finally {
      org.apache.spark.sql.SparkSession.active().stop();
    }
    for (int loop = 0; loop <= 2; loop++) {
      Path weights = Path.of("loop-" + loop, "model", "model.safetensors");
      if (!Files.exists(local.resolve(weights))) {
        assertTrue(loop > 1, "loops 0 and 1 ran");
        break;
      }
      assertArrayEquals(
          Files.readAllBytes(local.resolve(weights)),
          Files.readAllBytes(cluster.resolve(weights)),
          "loop " + loop + " weights");
    }
    // The executors ran in JVMs the workers launched: their logs are in each one's work directory.
    for (int i = 0; i < 2; i++) {
      try (Stream<Path> files = Files.walk(home.resolve("work-" + i))) {
        assertTrue(
            files.anyMatch(f -> f.getFileName().toString().equals("stderr")),
            "an executor's log under " + home.resolve("work-" + i));
      }
    }
  }

  /**
   * Your own data with the pool read, encoded, scored and picked from by the two workers'
   * executors: the same pairs selected in every loop, the same test accuracy and final weights as
   * `ser evolve` in one process.
   */
  @Test
  void thePoolOnTwoWorkersPicksWhatOneProcessPicks() throws Exception {
    OwnDataSplit data = OwnDataSplit.writeTo(Files.createDirectories(home.resolve("own")));
    Path local = home.resolve("own-local");
    Path cluster = home.resolve("own-cluster");
    data.inProcess(local);
    SparkEvolveTest.Result r =
        SparkEvolveTest.spark(data.evolve(data.pool().toString(), cluster, onCluster()));
    try {
      assertEquals(0, r.code(), r.err());
    } finally {
      org.apache.spark.sql.SparkSession.active().stop();
    }
    assertTrue(r.err().contains("a pool of 242 pairs on the executors"), r.err());
    List<List<String>> picked = OwnDataSplit.selectedIds(local);
    assertTrue(!picked.isEmpty() && !picked.get(0).isEmpty(), "loop 1 selected");
    assertEquals(picked, OwnDataSplit.selectedIds(cluster));
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    assertEquals(
        json.readTree(local.resolve("report.json").toFile())
            .at("/loops")
            .findValues("test_accuracy"),
        json.readTree(cluster.resolve("report.json").toFile())
            .at("/loops")
            .findValues("test_accuracy"));
    assertArrayEquals(
        Files.readAllBytes(local.resolve("final/model.safetensors")),
        Files.readAllBytes(cluster.resolve("final/model.safetensors")));
  }

  /** Options that run a command's Spark session on this cluster. */
  private static String[] onCluster() {
    return new String[] {
      "--master",
      master,
      "--conf",
      "spark.driver.host=127.0.0.1",
      "--conf",
      "spark.driver.bindAddress=127.0.0.1",
      "--conf",
      "spark.executor.memory=1500m"
    };
  }

  private static Process daemon(String name, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(home.resolve("jars") + "/*");
    command.add(mainClass);
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.redirectErrorStream(true).redirectOutput(home.resolve(name + ".log").toFile());
    Process p = pb.start();
    daemons.add(p);
    return p;
  }

  private static void awaitLog(Process p, Path log, String line) throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(line)) {
        return;
      }
      if (!p.isAlive()) {
        break;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no '" + line + "' in " + log + ":\n" + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void jar(Path classes, Path target) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(target));
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
  }
}
