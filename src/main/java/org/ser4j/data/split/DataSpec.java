package org.ser4j.data.split;

import java.nio.file.Path;
import org.ser4j.data.format.ReadOptions;

/**
 * What a training command reads: a training file and either a test file or a test fraction (of the
 * training file, split by prompt), plus the labeled fraction and seed of the SER setting.
 */
public record DataSpec(
    Path train,
    Path test,
    Double testFraction,
    double labeledFraction,
    long seed,
    ReadOptions read) {
  public DataSpec {
    if ((test == null) == (testFraction == null)) {
      throw new IllegalArgumentException(
          "give either a test file or a test fraction, not both or neither");
    }
  }
}
