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
      description =
          "Labeled training pairs (.jsonl or .jsonl.gz). In evolve and experiment this is the experiment mode: all but --labeled-fraction of them lose their labels and become the pool, and the hidden labels measure self-label precision (default: none; required, except in evolve with --labeled and --unlabeled).")
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

  @Mixin SkipBadOption skip;

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
        train, test, fraction, labeledFraction, seed, read.toReadOptions(seed, skip.skipBad));
  }

  /** Your own data: human labels, an unlabeled pool and, with --test, a test file. */
  DataSpec ownData(java.util.List<Path> labeled, Path unlabeled) {
    if (labeled == null || labeled.isEmpty() || unlabeled == null) {
      throw new IllegalArgumentException(
          "your own data needs both --labeled FILE (human labels) and --unlabeled FILE (the pool)");
    }
    if (train != null) {
      throw new IllegalArgumentException(
          "give --train FILE (the experiment) or --labeled and --unlabeled (your own data), not both");
    }
    if (testSource != null && testSource.testFraction != null) {
      throw new IllegalArgumentException(
          "--test-fraction splits --train; with --labeled, give --test FILE or no test set");
    }
    Path test = testSource == null ? null : testSource.test;
    return DataSpec.ownData(labeled, unlabeled, test, seed, read.toReadOptions(seed, skip.skipBad));
  }
}
