package org.ser4j.cli;

import org.ser4j.data.format.PairingRule;
import org.ser4j.data.format.PreferenceFormat;
import org.ser4j.data.format.ReadOptions;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** How input files are read: shared by every command that reads preference data. */
public final class ReadOptionsMixin {
  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "auto",
      description =
          "Input format: auto, hh-rlhf, trl, ultrafeedback, summarize, stackexchange, pairwise (default: ${DEFAULT-VALUE}, detected from the first record).")
  String format;

  @Option(
      names = "--pairing",
      paramLabel = "RULE",
      defaultValue = "best-vs-random",
      converter = PairingConverter.class,
      description =
          "How rated responses (UltraFeedback, StackExchange) become pairs: best-vs-random, best-vs-worst, all-pairs (default: ${DEFAULT-VALUE}).")
  PairingRule pairing;

  @Option(
      names = "--max-pairs-per-prompt",
      paramLabel = "N",
      defaultValue = "10",
      description = "Cap on pairs per prompt for --pairing all-pairs (default: ${DEFAULT-VALUE}).")
  int maxPairsPerPrompt;

  ReadOptions toReadOptions(long seed, boolean skipBad) {
    if (maxPairsPerPrompt < 1) {
      throw new IllegalArgumentException(
          "--max-pairs-per-prompt must be at least 1, got " + maxPairsPerPrompt);
    }
    PreferenceFormat chosen =
        format.equalsIgnoreCase("auto") ? null : PreferenceFormat.fromName(format);
    return ReadOptions.defaults()
        .withFormat(chosen)
        .withSkipBad(skipBad)
        .withPairing(pairing)
        .withMaxPairsPerPrompt(maxPairsPerPrompt)
        .withSeed(seed);
  }

  /** Accepts the rule names shown in --help. */
  static final class PairingConverter implements ITypeConverter<PairingRule> {
    @Override
    public PairingRule convert(String value) {
      for (PairingRule rule : PairingRule.values()) {
        if (rule.toString().equalsIgnoreCase(value) || rule.name().equalsIgnoreCase(value)) {
          return rule;
        }
      }
      throw new IllegalArgumentException(
          "unknown pairing rule '"
              + value
              + "'; expected best-vs-random, best-vs-worst or all-pairs");
    }
  }
}
