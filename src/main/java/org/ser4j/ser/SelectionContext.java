package org.ser4j.ser;

import java.io.IOException;
import java.io.PrintWriter;
import org.ser4j.model.PairRewards;
import org.ser4j.ser.select.PairSelection;

/**
 * What a loop's selection rule may read of the run: the loop, the current RM's rewards on the
 * validation pairs and pair confidence's temperature, each computed only when a rule asks, and once
 * (a pool scored elsewhere asks the rule for its necessary test, then for its picks).
 */
record SelectionContext(
    int loop, Lazy<PairRewards> validation, Lazy<Double> calibration, PrintWriter log)
    implements PairSelection.Context {
  /** Something read from the RM only when a rule asks for it. */
  interface Lazy<T> {
    T get() throws IOException;
  }

  SelectionContext {
    validation = once(validation);
    calibration = once(calibration);
  }

  /** {@code lazy}, computed at the first call and remembered. */
  private static <T> Lazy<T> once(Lazy<T> lazy) {
    return lazy instanceof Once<T> ? lazy : new Once<>(lazy);
  }

  private static final class Once<T> implements Lazy<T> {
    private final Lazy<T> lazy;
    private boolean done;
    private T value;

    Once(Lazy<T> lazy) {
      this.lazy = lazy;
    }

    @Override
    public T get() throws IOException {
      if (!done) {
        value = lazy.get();
        done = true;
      }
      return value;
    }
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
