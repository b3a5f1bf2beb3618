package org.ser4j.data.format;

import java.util.Arrays;

/** A growable sample of lengths with nearest-rank percentiles. */
public final class LengthSample {
  private int[] values = new int[1024];
  private int size;

  public void add(int value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  public int size() {
    return size;
  }

  /** Nearest-rank percentile: the smallest value with at least p% of the sample at or below it. */
  public int percentile(double p) {
    if (size == 0) {
      return 0;
    }
    int[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
  }

  public double mean() {
    long sum = 0;
    for (int i = 0; i < size; i++) {
      sum += values[i];
    }
    return size == 0 ? 0 : (double) sum / size;
  }
}
