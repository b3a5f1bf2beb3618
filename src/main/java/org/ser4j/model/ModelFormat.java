package org.ser4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How one model family reads its directory: found by {@link ModelStore#load} through {@link
 * java.util.ServiceLoader} by the {@code format} field of {@code config.json}, so a new family (a
 * Spark-trained one, say) plugs in without changing the store or the commands.
 */
public interface ModelFormat {
  /** The {@code format} value this family writes into {@code config.json}. */
  String name();

  /** The model in {@code dir}, whose parsed {@code config.json} is {@code config}. */
  TrainedModel load(Path dir, JsonNode config) throws IOException;
}
