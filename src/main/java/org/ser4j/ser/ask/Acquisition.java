package org.ser4j.ser.ask;

import java.util.List;
import java.util.Locale;

/**
 * Which pairs a person should label next: k of a pool's candidates, ranked, each with the
 * strategy's score. Batches are chosen jointly where a strategy's choices interact (the D-optimal
 * design and k-center update after each pick), so a batch is not k copies of one kind of pair.
 */
public interface Acquisition {
  /** A candidate's index in the pool and the strategy's score when it was picked. */
  record Pick(int index, double score) {}

  /** The strategy's name, as `--strategy` takes it. */
  String name();

  /** Picks min(k, pool size) candidates, best first. */
  List<Pick> pick(AskPool pool, int k);

  /**
   * Whether the strategy reads the pairs' feature differences ({@link AskPool#diff}, the labeled
   * pairs' too); without them the pool holds probabilities only.
   */
  default boolean readsDifferences() {
    return false;
  }

  /** Whether the strategy reads bootstrap heads' probabilities ({@link AskPool#ensembleP}). */
  default boolean readsEnsemble() {
    return false;
  }

  /** The strategies by name: random, uncertainty, fisher, diverse, ensemble. */
  static Acquisition of(String name, long seed) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "random" -> new RandomPicks(seed);
      case "uncertainty" -> new Uncertainty();
      case "fisher" -> new DOptimal(DOptimal.RIDGE, DOptimal.Space.HEAD);
      case "fisher-unit" -> new DOptimal(DOptimal.UNIT_RIDGE, DOptimal.Space.UNIT);
      case "fisher-raw" -> new DOptimal(DOptimal.RAW_RIDGE, DOptimal.Space.RAW);
      case "diverse" -> new KCenter();
      case "typical" -> new Typical(seed);
      case "ensemble" -> new Disagreement();
      default ->
          throw new IllegalArgumentException(
              "unknown strategy '" + name + "'; expected one of " + String.join(", ", NAMES));
    };
  }

  List<String> NAMES =
      List.of(
          "random",
          "uncertainty",
          "fisher",
          "fisher-unit",
          "fisher-raw",
          "diverse",
          "typical",
          "ensemble");
}
