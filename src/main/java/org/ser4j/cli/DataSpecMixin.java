package org.ser4j.cli;

import java.nio.file.Path;
import org.ser4j.data.split.DataSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The data options of every command that trains: --train, --test or --test-fraction, the seed. The
 * labeled fraction's default differs by command, so each command declares it.
 */
public final class DataSpecMixin {
  public static final double DEFAULT_TEST_FRACTION = 0.2;

  @Option(
      names = "--train",
      paramLabel = "FILE",
      description = "Training pairs (.jsonl or .jsonl.gz); required.")
  Path train;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  TestSource testSource;

  static final class TestSource {
    @Option(names = "--test", paramLabel = "FILE", description = "Held-out test pairs.")
    Path test;

    @Option(
        names = "--test-fraction",
        paramLabel = "F",
        description =
            "Hold out this fraction of --train as the test set, split by prompt (default: "
                + DEFAULT_TEST_FRACTION
                + " when no --test is given).")
    Double testFraction;
  }

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "42",
      description = "Seed for splits and training (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--skip-bad",
      description =
          "Skip malformed records and count them by reason, instead of failing on the first (default: ${DEFAULT-VALUE}).")
  boolean skipBad;

  @Mixin ReadOptionsMixin read;

  DataSpec toSpec(double labeledFraction) {
    return toSpec(labeledFraction, seed);
  }

  /** The data under another split seed (an experiment's seeds --seed, --seed+1, ...). */
  DataSpec toSpec(double labeledFraction, long seed) {
    if (train == null) {
      throw new IllegalArgumentException("missing --train FILE");
    }
    Path test = testSource == null ? null : testSource.test;
    Double fraction =
        testSource == null ? Double.valueOf(DEFAULT_TEST_FRACTION) : testSource.testFraction;
    return new DataSpec(
        train, test, fraction, labeledFraction, seed, read.toReadOptions(seed, skipBad));
  }
}
