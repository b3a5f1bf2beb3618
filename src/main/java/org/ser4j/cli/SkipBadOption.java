package org.ser4j.cli;

import picocli.CommandLine.Option;

/**
 * {@code --skip-bad}, for every command that reads data files: bad records in any file the command
 * reads (labels, a pool, a queue, a test set) are skipped and counted instead of stopping it.
 */
final class SkipBadOption {
  /** The option's name, as the error advice gives it. */
  static final String NAME = "--skip-bad";

  @Option(
      names = NAME,
      description =
          "Skip malformed records in every file read (labels, pool, queue, test set) and count them by reason, instead of failing on the first (default: ${DEFAULT-VALUE}).")
  boolean skipBad;
}
