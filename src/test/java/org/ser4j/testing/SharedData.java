package org.ser4j.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared, read-only real datasets beside the project (../shared/data). */
public final class SharedData {
  private SharedData() {}

  public static final Path ROOT = Path.of("..", "shared", "data");
  public static final Path HH_RLHF = ROOT.resolve("hh-rlhf/harmless-base-test.jsonl.gz");
  public static final Path ULTRAFEEDBACK_TRAIN = ROOT.resolve("ultrafeedback/train.jsonl.gz");
  public static final Path ULTRAFEEDBACK_EVAL = ROOT.resolve("ultrafeedback/eval.jsonl.gz");
  public static final Path ALPACAEVAL = ROOT.resolve("alpacaeval/pairs.jsonl.gz");

  /** Fails loudly, rather than skipping, when the shared data is not where CI puts it. */
  public static Path require(Path file) {
    assertTrue(
        Files.isRegularFile(file),
        "shared data missing: "
            + file.toAbsolutePath()
            + " (the tests read the real datasets in ../shared/data beside the project, listed in"
            + " ../shared/README.md; to use the library without them: mvn -DskipTests install)");
    return file;
  }
}
