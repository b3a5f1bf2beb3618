package org.ser4j.data.format;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.SkipCounts;

/** What `ser data stats` reports about one file, computed in one streaming pass. */
public record DatasetStats(
    String file,
    PreferenceFormat format,
    long records,
    long pairs,
    SkipCounts skipped,
    long ties,
    long multiTurnPrompts,
    Map<String, Map<String, Number>> lengths) {

  public static final double[] PERCENTILES = {10, 50, 90, 99, 100};

  /** Reads every record, skipping and counting bad ones: stats describe the file as it is. */
  public static DatasetStats of(java.nio.file.Path file, ReadOptions options) {
    LengthSample prompt = new LengthSample();
    LengthSample chosen = new LengthSample();
    LengthSample rejected = new LengthSample();
    long pairs = 0;
    long ties = 0;
    long multiTurn = 0;
    try (PairReader reader = PairReader.open(file, options.withSkipBad(true))) {
      while (reader.hasNext()) {
        PreferencePair pair = reader.next();
        pairs++;
        ties += pair.isTie() ? 1 : 0;
        multiTurn += pair.prompt().isMultiTurn() ? 1 : 0;
        prompt.add(pair.prompt().length());
        chosen.add(pair.chosen().length());
        rejected.add(pair.rejected().length());
      }
      Map<String, Map<String, Number>> lengths = new LinkedHashMap<>();
      lengths.put("prompt", summary(prompt));
      lengths.put("chosen", summary(chosen));
      lengths.put("rejected", summary(rejected));
      return new DatasetStats(
          file.toString(),
          reader.format(),
          reader.records(),
          pairs,
          reader.skipped(),
          ties,
          multiTurn,
          lengths);
    }
  }

  private static Map<String, Number> summary(LengthSample sample) {
    Map<String, Number> out = new LinkedHashMap<>();
    for (double p : PERCENTILES) {
      out.put(p == 100 ? "max" : "p" + (int) p, sample.percentile(p));
    }
    out.put("mean", Math.round(sample.mean() * 10) / 10.0);
    return out;
  }

  public double multiTurnShare() {
    return pairs == 0 ? 0 : (double) multiTurnPrompts / pairs;
  }
}
