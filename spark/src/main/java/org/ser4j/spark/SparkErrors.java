package org.ser4j.spark;

import org.ser4j.data.BadRecordException;
import org.ser4j.data.DataFileException;

/**
 * A failed Spark job's cause as the user should see it: a bad pool record or an unreadable file
 * thrown on an executor comes back wrapped in Spark's job failure; the first such cause is rethrown
 * as the core's readers throw it, naming file, line and field.
 */
final class SparkErrors {
  private SparkErrors() {}

  static RuntimeException unwrap(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BadRecordException || t instanceof DataFileException) {
        return (RuntimeException) t;
      }
    }
    return e;
  }
}
