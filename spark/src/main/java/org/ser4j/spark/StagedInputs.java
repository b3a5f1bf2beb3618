package org.ser4j.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * Input files the core's readers cannot open: on a Hadoop file system (hdfs://, s3a://, abfs://,
 * file://: any URI with a scheme) or in Parquet. Each is copied to a local file on the driver with
 * the session's Hadoop settings before the run reads it, named after the original so errors still
 * say where a record came from: JSON Lines byte for byte (gzip kept), Parquet as one JSON object a
 * row (Spark's {@code toJSON}: every column, nested ones too, so any supported pair format works;
 * line N of the staged file is row N in read order).
 */
final class StagedInputs {
  private final Map<String, Path> pending = new LinkedHashMap<>();
  private Path dir;

  /** The local file {@code value} is staged as; null for a local path, which is read as it is. */
  Path convert(String value) throws IOException {
    if (!value.contains("://") && !PoolReader.isParquet(value)) {
      return null;
    }
    if (dir == null) {
      dir = Files.createTempDirectory("ser4j-staged-");
      dir.toFile().deleteOnExit();
    }
    String name = value.replaceAll("[^A-Za-z0-9._-]+", "_");
    Path local = dir.resolve(PoolReader.isParquet(value) ? name + ".jsonl" : name);
    pending.put(value, local);
    return local;
  }

  /**
   * The source {@code local} stands for, no longer to be copied (a pool the executors read); a
   * local path that was not staged, as a URI.
   */
  String unstage(Path local) {
    for (Map.Entry<String, Path> e : pending.entrySet()) {
      if (e.getValue().equals(local)) {
        pending.remove(e.getKey());
        return e.getKey();
      }
    }
    return local.toAbsolutePath().toUri().toString();
  }

  /** Copies every staged input with {@code spark}'s Hadoop settings; returns how many. */
  int stage(SparkSession spark, java.io.PrintWriter log) {
    for (Map.Entry<String, Path> e : pending.entrySet()) {
      String source = e.getKey();
      Path local = e.getValue();
      try {
        if (PoolReader.isParquet(source)) {
          long rows = 0;
          try (Writer out = Files.newBufferedWriter(local, StandardCharsets.UTF_8)) {
            Iterator<String> json = spark.read().parquet(source).toJSON().toLocalIterator();
            while (json.hasNext()) {
              out.write(json.next());
              out.write('\n');
              rows++;
            }
          }
          log.printf("staged %s (%d Parquet rows) as %s%n", source, rows, local);
        } else {
          org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(source);
          FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
          try (InputStream in = fs.open(path);
              OutputStream out = Files.newOutputStream(local)) {
            in.transferTo(out);
          }
          log.printf("staged %s as %s%n", source, local);
        }
      } catch (IOException | RuntimeException ex) {
        throw new IllegalArgumentException(source + ": cannot read it: " + ex.getMessage(), ex);
      }
      local.toFile().deleteOnExit();
    }
    log.flush();
    return pending.size();
  }
}
