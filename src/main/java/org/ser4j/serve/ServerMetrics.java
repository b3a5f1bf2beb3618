package org.ser4j.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.ser4j.encoder.FeatureCache;

/** The server's Prometheus metrics, exposed in the text format at GET /metrics. */
public final class ServerMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  final Counter requests =
      Counter.builder()
          .name("ser_requests_total")
          .help("HTTP requests by endpoint and status")
          .labelNames("endpoint", "status")
          .register(registry);
  final Counter texts =
      Counter.builder().name("ser_texts_total").help("Responses scored").register(registry);
  final Counter unsplit =
      Counter.builder()
          .name("ser_unsplit_queries_total")
          .help(
              "/get_reward queries no known format could split (scored as a response to an empty prompt)")
          .register(registry);
  final Histogram latency =
      Histogram.builder()
          .name("ser_request_seconds")
          .help("Request latency by endpoint")
          .labelNames("endpoint")
          .register(registry);
  final Histogram batchTexts =
      Histogram.builder()
          .name("ser_batch_texts")
          .help("Texts per encoder batch (dynamic batching across requests)")
          .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048)
          .register(registry);

  /** {@code cache} null (a fine-tuned model has no feature cache) leaves out the cache gauges. */
  ServerMetrics(FeatureCache cache) {
    if (cache == null) {
      return;
    }
    GaugeWithCallback.builder()
        .name("ser_cache_hits")
        .help("Feature cache hits since start")
        .callback(cb -> cb.call(cache.hits()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("ser_cache_misses")
        .help("Feature cache misses since start")
        .callback(cb -> cb.call(cache.misses()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("ser_cache_entries")
        .help("Feature cache entries")
        .callback(cb -> cb.call(cache.size()))
        .register(registry);
  }

  String scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }
}
