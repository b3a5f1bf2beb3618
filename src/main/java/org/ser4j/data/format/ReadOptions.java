package org.ser4j.data.format;

import io.soabase.recordbuilder.core.RecordBuilder;

/**
 * How to read a preference file.
 *
 * @param format the file's format, or null to detect it from the first record
 * @param skipBad skip (and count) bad records instead of failing on the first
 * @param pairing how multi-response formats become pairs
 * @param maxPairsPerPrompt cap for {@link PairingRule#ALL_PAIRS}
 * @param seed seeds the random choices of {@link PairingRule#BEST_VS_RANDOM} and ALL_PAIRS
 * @param maxLineBytes longer lines are bad records, read past without being held in memory
 */
@RecordBuilder
public record ReadOptions(
    PreferenceFormat format,
    boolean skipBad,
    PairingRule pairing,
    int maxPairsPerPrompt,
    long seed,
    int maxLineBytes)
    implements ReadOptionsBuilder.With {

  public static final int DEFAULT_MAX_LINE_BYTES = 32 << 20;

  public static ReadOptions defaults() {
    return new ReadOptions(null, false, PairingRule.BEST_VS_RANDOM, 10, 42, DEFAULT_MAX_LINE_BYTES);
  }
}
