package org.ser4j.data.format;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How a prompt with several rated responses (UltraFeedback, StackExchange) becomes preference
 * pairs. Responses with equal ratings are never paired: they carry no preference.
 */
public enum PairingRule {
  /**
   * The best response against one random strictly lower-rated one (UltraFeedback's usual
   * binarization).
   */
  BEST_VS_RANDOM("best-vs-random"),
  /** The best response against the worst. */
  BEST_VS_WORST("best-vs-worst"),
  /** Every two responses with different ratings, up to a cap per prompt. */
  ALL_PAIRS("all-pairs");

  private final String cliName;

  PairingRule(String cliName) {
    this.cliName = cliName;
  }

  @Override
  public String toString() {
    return cliName;
  }

  /** An index pair: response {@code better} is preferred over response {@code worse}. */
  public record Choice(int better, int worse) {}

  /**
   * Picks pairs of indexes into {@code ratings}. Ties go to the earliest index so that the result
   * depends only on the ratings and {@code random}.
   */
  public List<Choice> pick(double[] ratings, int maxPairs, SplittableRandom random) {
    List<Choice> out = new ArrayList<>();
    if (ratings.length < 2) {
      return out;
    }
    int best = 0;
    int worst = 0;
    for (int i = 1; i < ratings.length; i++) {
      if (ratings[i] > ratings[best]) {
        best = i;
      }
      if (ratings[i] < ratings[worst]) {
        worst = i;
      }
    }
    if (ratings[best] == ratings[worst]) {
      return out;
    }
    switch (this) {
      case BEST_VS_WORST:
        out.add(new Choice(best, worst));
        break;
      case BEST_VS_RANDOM:
        List<Integer> lower = new ArrayList<>();
        for (int i = 0; i < ratings.length; i++) {
          if (ratings[i] < ratings[best]) {
            lower.add(i);
          }
        }
        out.add(new Choice(best, lower.get(random.nextInt(lower.size()))));
        break;
      case ALL_PAIRS:
        List<Choice> all = new ArrayList<>();
        for (int i = 0; i < ratings.length; i++) {
          for (int j = 0; j < ratings.length; j++) {
            if (ratings[i] > ratings[j]) {
              all.add(new Choice(i, j));
            }
          }
        }
        // Seeded partial Fisher-Yates: a uniform sample of maxPairs when capped.
        int keep = Math.min(maxPairs, all.size());
        for (int i = 0; i < keep; i++) {
          int j = i + random.nextInt(all.size() - i);
          Choice swap = all.get(i);
          all.set(i, all.get(j));
          all.set(j, swap);
        }
        out.addAll(all.subList(0, keep));
        break;
      default:
        throw new IllegalStateException(this.name());
    }
    return out;
  }
}
