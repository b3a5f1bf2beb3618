package org.ser4j.data.format;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import org.ser4j.data.BadRecordException;
import org.ser4j.data.DataFileException;

/**
 * Coverage-guided fuzzing of the readers with Jazzer. Under plain `mvn test` it replays its corpus
 * (src/test/resources/org/ser4j/data/format/ReaderFuzzTestInputs, where Jazzer also saves any crash
 * it finds); `JAZZER_FUZZ=1 mvn test -Dtest=ReaderFuzzTest` fuzzes for the max duration. The only
 * acceptable failures are data errors that name where they happened.
 */
public class ReaderFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void readersFailOnlyWithDataErrors(byte[] input) {
    PreferenceFormat[] formats = PreferenceFormat.values();
    for (int f = -1; f < formats.length; f++) {
      for (boolean skip : new boolean[] {true, false}) {
        ReadOptions options =
            ReadOptions.defaults()
                .withFormat(f < 0 ? null : formats[f])
                .withSkipBad(skip)
                .withMaxLineBytes(1 << 16);
        try (PairReader reader =
            PairReader.fromStream("fuzz.jsonl", new ByteArrayInputStream(input), options)) {
          reader.forEachRemaining(
              pair -> {
                if (pair.chosen().isBlank() && pair.rejected().isBlank()) {
                  throw new AssertionError("a pair with two empty responses got through: " + pair);
                }
              });
        } catch (BadRecordException e) {
          if (skip || !e.getMessage().startsWith("fuzz.jsonl:")) {
            throw new AssertionError(
                "skipping mode threw, or the error does not name the file: " + e.getMessage(), e);
          }
        } catch (DataFileException e) {
          if (!e.getMessage().startsWith("fuzz.jsonl")) {
            throw new AssertionError("file error does not name the file: " + e.getMessage(), e);
          }
        }
      }
    }
  }
}
