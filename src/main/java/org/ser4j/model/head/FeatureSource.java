package org.ser4j.model.head;

import java.io.IOException;
import java.util.Map;
import org.ser4j.data.split.SerDataset;
import org.ser4j.encoder.EncoderConfig;

/**
 * Where a frozen-encoder learner gets its vectors: this process's {@link
 * org.ser4j.encoder.Featurizer} ({@link HeadLearner#encoding}), or a cluster (ser4j-spark).
 */
public interface FeatureSource extends AutoCloseable {
  /** Encodes every text of {@code data} once. */
  HeadFeatures encode(SerDataset data) throws IOException;

  /** The encoder (with the weights' fingerprint once opened). */
  EncoderConfig encoder();

  /** Figures for metrics.json after a fit (cache counts); none by default. */
  default Map<String, Object> details() {
    return Map.of();
  }

  /** A line on the caches for the closing report, or null. */
  default String summary() {
    return null;
  }

  @Override
  void close();
}
