package org.ser4j.spark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.ser4j.data.BadRecordException;
import org.ser4j.data.ContentId;
import org.ser4j.data.SourceRef;
import org.ser4j.data.format.JsonLines;
import org.ser4j.data.format.UnlabeledReader;
import org.ser4j.util.Json;
import scala.Tuple2;

/**
 * Reads an unlabeled pool on the executors, never on the driver: JSON Lines (plain or gzip) as one
 * task a file, so that every record keeps its file and line for errors; Parquet as Spark reads it,
 * one JSON object a row (row N in read order is "line" N). Records are parsed by the core's {@link
 * UnlabeledReader#parse}; pairs the labeled or test data already compare are left out by content id
 * ({@link ContentId}), and so are pairs of two identical answers. Only counts come back.
 */
final class PoolReader {
  private final SparkSession spark;
  private final JavaSparkContext context;
  private final Counts counts;

  /** What the executors count as they read (accumulators: they ship with the tasks). */
  record Counts(
      LongAccumulator records,
      LongAccumulator skipped,
      LongAccumulator identical,
      LongAccumulator overlap,
      LongAccumulator withLabelFields)
      implements java.io.Serializable {}

  PoolReader(SparkSession spark) {
    this.spark = spark;
    this.context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    org.apache.spark.SparkContext sc = spark.sparkContext();
    this.counts =
        new Counts(
            sc.longAccumulator("pool records"),
            sc.longAccumulator("pool records skipped"),
            sc.longAccumulator("pairs of identical answers"),
            sc.longAccumulator("pairs already labeled or tested"),
            sc.longAccumulator("records with label fields"));
  }

  /** Whether {@code source} is read as Parquet (here and when the driver stages an input). */
  static boolean isParquet(String source) {
    return source.endsWith(".parquet") || source.endsWith(".parquet/");
  }

  /**
   * The pool at {@code source} (a file, directory or glob on any Hadoop file system), less the
   * pairs whose content ids are in {@code known} (sorted); lazily, to be persisted by the caller.
   */
  JavaRDD<PoolRow> read(String source, boolean skipBad, long[] known) throws IOException {
    Broadcast<long[]> knownIds = context.broadcast(known);
    Counts counts = this.counts; // not `this`: the closures ship
    JavaRDD<PoolRow> rows;
    if (isParquet(source)) {
      rows =
          spark
              .read()
              .parquet(source)
              .toJSON()
              .javaRDD()
              .zipWithIndex()
              .mapPartitions(it -> parquetRows(it, source, skipBad, knownIds.value(), counts));
    } else {
      List<String> files = files(source);
      SerializableConfiguration hadoop =
          new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
      Broadcast<SerializableConfiguration> conf = context.broadcast(hadoop);
      List<Integer> indices = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        indices.add(i);
      }
      rows =
          context
              .parallelize(indices, Math.max(1, files.size()))
              .mapPartitions(
                  it -> jsonLinesRows(it, files, conf, skipBad, knownIds.value(), counts));
    }
    return rows;
  }

  /** The pairs of the JSON rows {@code it} of Parquet file {@code source} (row N is line N). */
  private static java.util.Iterator<PoolRow> parquetRows(
      java.util.Iterator<Tuple2<String, Long>> it,
      String source,
      boolean skipBad,
      long[] known,
      Counts counts) {
    return new Streamed() {
      @Override
      boolean nextRecord(List<PoolRow> out) throws IOException {
        if (!it.hasNext()) {
          return false;
        }
        Tuple2<String, Long> t = it.next();
        SourceRef at = new SourceRef(source, t._2() + 1);
        add(out, Json.CANONICAL.readTree(t._1()), at, 0, skipBad, known, counts);
        return true;
      }
    };
  }

  /** The pairs of the JSON Lines files {@code it} indexes in {@code files}, file after file. */
  private static java.util.Iterator<PoolRow> jsonLinesRows(
      java.util.Iterator<Integer> it,
      List<String> files,
      Broadcast<SerializableConfiguration> conf,
      boolean skipBad,
      long[] known,
      Counts counts) {
    return new Streamed() {
      private JsonLines lines; // the file being read
      private int file;

      @Override
      boolean nextRecord(List<PoolRow> out) throws IOException {
        JsonLines.Record r;
        while (true) {
          if (lines == null) {
            if (!it.hasNext()) {
              return false;
            }
            file = it.next();
            Path path = new Path(files.get(file));
            FileSystem fs = path.getFileSystem(conf.value().value());
            lines = JsonLines.open(files.get(file), fs.open(path));
          }
          try {
            if (!lines.hasNext()) {
              lines.close();
              lines = null;
              continue;
            }
            r = lines.next();
            break;
          } catch (BadRecordException e) {
            if (!skipBad) {
              throw e;
            }
            counts.skipped().add(1);
            return true;
          }
        }
        add(out, r.json(), r.source(), file, skipBad, known, counts);
        return true;
      }
    };
  }

  /**
   * A partition's pool pairs, one record's at a time: a file of any size streams through a task (a
   * list of its pairs would have to fit an executor's heap).
   */
  private abstract static class Streamed implements java.util.Iterator<PoolRow> {
    private final List<PoolRow> ready = new ArrayList<>(4);
    private int next;

    /** Adds the next record's pairs (maybe none) to {@code out}; false when there is none. */
    abstract boolean nextRecord(List<PoolRow> out) throws IOException;

    @Override
    public boolean hasNext() {
      try {
        while (next == ready.size()) {
          ready.clear();
          next = 0;
          if (!nextRecord(ready)) {
            return false;
          }
        }
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public PoolRow next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      return ready.get(next++);
    }
  }

  /** The files of {@code source}: itself, a directory's visible files, or a glob's matches. */
  private List<String> files(String source) throws IOException {
    Path path = new Path(source);
    FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
    FileStatus[] matched = fs.globStatus(path);
    if (matched == null || matched.length == 0) {
      throw new IllegalArgumentException(source + ": no such file");
    }
    List<String> out = new ArrayList<>();
    for (FileStatus s : matched) {
      if (s.isDirectory()) {
        for (FileStatus f : fs.listStatus(s.getPath())) {
          String name = f.getPath().getName();
          if (f.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
            out.add(f.getPath().toString());
          }
        }
      } else {
        out.add(s.getPath().toString());
      }
    }
    out.sort(null);
    if (out.isEmpty()) {
      throw new IllegalArgumentException(source + ": no pool file in it");
    }
    return out;
  }

  /** One record's pairs, as the core's reader makes them, less those already known. */
  private static void add(
      List<PoolRow> out,
      JsonNode json,
      SourceRef at,
      int file,
      boolean skipBad,
      long[] known,
      Counts counts) {
    counts.records().add(1);
    UnlabeledReader.Parsed parsed;
    try {
      parsed = UnlabeledReader.parse(json, at);
    } catch (BadRecordException e) {
      if (!skipBad) {
        throw e;
      }
      counts.skipped().add(1);
      return;
    }
    if (!parsed.labelFields().isEmpty()) {
      counts.withLabelFields().add(1);
    }
    List<String> answers = parsed.answers();
    for (int i = 0; i + 1 < answers.size(); i++) {
      String a = answers.get(i);
      String b = answers.get(i + 1);
      if (a.equals(b)) {
        counts.identical().add(1);
        continue;
      }
      long id = ContentId.of(parsed.prompt(), a, b);
      if (Arrays.binarySearch(known, id) >= 0) {
        counts.overlap().add(1);
        continue;
      }
      out.add(
          new PoolRow(
              PoolRow.order(file, at.line(), i),
              id,
              parsed.pairId(i, at),
              parsed.prompt(),
              a,
              b,
              null,
              null));
    }
  }

  /** What was read, as the driver logs it. */
  String summary() {
    return String.format(
        "%d records (%d bad, skipped; %d with label fields, ignored), %d pairs of identical answers and %d the labeled or test data compare left out",
        counts.records().value(),
        counts.skipped().value(),
        counts.withLabelFields().value(),
        counts.identical().value(),
        counts.overlap().value());
  }
}
