package org.ser4j.ser;

import java.io.IOException;
import java.io.PrintWriter;
import org.ser4j.model.PairRewards;
import org.ser4j.ser.select.PairSelection;

/**
 * What a loop's selection rule may read of the run: the loop, the current RM's rewards on the
 * validation pairs and pair confidence's temperature, each computed only when a rule asks.
 */
record SelectionContext(
    int loop, Lazy<PairRewards> validation, Lazy<Double> calibration, PrintWriter log)
    implements PairSelection.Context {
  /** Something read from the RM only when a rule asks for it. */
  interface Lazy<T> {
    T get() throws IOException;
  }

  @Override
  public PairRewards validationRewards() throws IOException {
    return validation.get();
  }

  @Override
  public double temperature() throws IOException {
    return calibration.get();
  }
}
