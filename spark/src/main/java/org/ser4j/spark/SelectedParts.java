package org.ser4j.spark;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.model.learn.Comparison;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.ser.select.Pool;
import scala.Tuple2;

/**
 * A loop's self-labels written as part files by the executors, where the pairs' texts are: the
 * driver writes the labels (24 bytes each, sorted by key) to a file Spark hands every executor
 * ({@code addFile}); the picked pairs' texts are sorted by key into ranges, and each range's task
 * merges them with the labels and writes its part ({@code part-NNNNN.jsonl}, a temporary file then
 * renamed). The parts go to a directory beside the target, which replaces it once every part is
 * there as its task reported: so the driver neither holds nor carries the texts, and the parts are
 * written in parallel. Where the executors cannot reach the run's directory (workers that do not
 * share its disk), the parts are not found here, and the driver writes one file instead. Built
 * (West-of-N) labels come after the plain ones, in their order, as parts of their own: each is
 * written where its two pairs are (the pool is placed by prompt, so one part of the pool holds
 * both), and its line goes to a part by its place among them.
 */
final class SelectedParts {
  // Labels a part, about 4 KB each with AlpacaEval's texts: more parts than cores where there are
  // many, so a part's task takes seconds.
  private static final int LABELS_PER_PART = 50_000;
  private static final int ROW = 24; // key, loop and label, s1, s2

  private SelectedParts() {}

  /**
   * Writes {@code labels} (plain pool pairs' labels, their pairs by key alone) as part files of a
   * directory {@code file}, with the texts of {@code texts} (the pool keyed by read order, {@code
   * size} pairs). Returns what of the parts is not seen here afterwards (none where they are
   * written); where some is, nothing is written.
   */
  static List<String> write(
      JavaSparkContext context,
      JavaRDD<PoolRow> texts,
      long size,
      Path file,
      List<SelfLabel> labels,
      Pool.LineFormat format,
      Path spill)
      throws IOException {
    Files.createDirectories(spill);
    Path table = Files.createTempFile(spill, "ser4j-labels-", ".bin");
    Path parts =
        file.toAbsolutePath()
            .resolveSibling("." + file.getFileName() + ".parts-" + table.getFileName());
    Path builtTable = Files.createTempFile(spill, "ser4j-built-labels-", ".bin");
    Broadcast<BitSet> find = null;
    Broadcast<BitSet> findBuilt = null;
    try {
      ExecutorPool.KeyOrder order = ExecutorPool.KeyOrder.of(labels);
      writeTable(labels, order, table);
      context.sc().addFile(table.toString());
      find = context.broadcast(order.keys());
      Broadcast<BitSet> found = find;
      String name = table.getFileName().toString();
      String dir = parts.toString();
      int plain = order.count();
      int n =
          (int)
              Math.min(plain, Math.max(context.defaultParallelism(), 1 + plain / LABELS_PER_PART));
      List<long[]> written = new ArrayList<>();
      if (plain > 0) {
        written.addAll(
            texts
                .filter(r -> found.value().get(Math.toIntExact(r.order())))
                .mapToPair(r -> new Tuple2<>(r.order(), r))
                .repartitionAndSortWithinPartitions(new KeyRanges(n, size))
                .mapPartitionsWithIndex(
                    (i, rows) -> List.of(writePart(Path.of(dir), i, name, rows, format)).iterator(),
                    true)
                .collect());
      }
      int built = labels.size() - plain;
      if (built > 0) {
        findBuilt = context.broadcast(writeBuiltTable(labels, builtTable));
        context.sc().addFile(builtTable.toString());
        Broadcast<BitSet> sources = findBuilt;
        String builtName = builtTable.getFileName().toString();
        int m = Math.min(built, Math.max(1, built / LABELS_PER_PART));
        int first = n;
        written.addAll(
            texts
                .filter(r -> sources.value().get(Math.toIntExact(r.order())))
                .mapPartitions(rows -> builtLines(rows, builtName, format))
                .mapToPair(t -> t)
                .repartitionAndSortWithinPartitions(new KeyRanges(m, built))
                .mapPartitionsWithIndex(
                    (i, lines) -> List.of(writeLines(Path.of(dir), first + i, lines)).iterator(),
                    true)
                .collect());
      }
      List<String> missing = missing(parts, written, labels.size());
      if (!missing.isEmpty()) {
        return missing; // what the driver sees of the parts goes below
      }
      try (var left = Files.list(parts)) { // a failed attempt's temporary file
        for (Path p : left.filter(p -> !p.getFileName().toString().startsWith("part-")).toList()) {
          Files.delete(p);
        }
      }
      if (Files.isRegularFile(file)) {
        Files.delete(file);
      }
      Files.move(parts, file, StandardCopyOption.ATOMIC_MOVE);
      return List.of();
    } finally {
      if (find != null) {
        find.destroy();
      }
      if (findBuilt != null) {
        findBuilt.destroy();
      }
      Files.deleteIfExists(table);
      Files.deleteIfExists(builtTable);
      org.ser4j.util.AtomicFiles.deleteTree(parts);
    }
  }

  /**
   * The plain labels sorted by their pairs' keys ({@code order}) as rows of {@value #ROW} bytes,
   * written to {@code table}.
   */
  private static void writeTable(List<SelfLabel> labels, ExecutorPool.KeyOrder order, Path table)
      throws IOException {
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(table), 1 << 16))) {
      for (int n = 0; n < order.count(); n++) {
        SelfLabel l = labels.get(order.place(n));
        out.writeInt(l.pair().key());
        out.writeInt((l.loop() << 1) | (l.firstPreferred() ? 1 : 0));
        out.writeDouble(l.s1());
        out.writeDouble(l.s2());
      }
    }
  }

  /**
   * The built labels, in their order, as rows of {@value #BUILT_ROW} bytes written to {@code table}
   * (the two pairs' keys, which answers, the loop and label, s1, s2); their pairs' keys as bits.
   */
  private static BitSet writeBuiltTable(List<SelfLabel> labels, Path table) throws IOException {
    BitSet sources = new BitSet();
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(table), 1 << 16))) {
      for (SelfLabel l : labels) {
        Comparison c = l.pair();
        if (!c.built()) {
          continue;
        }
        out.writeInt(c.key());
        out.writeBoolean(c.first().isFirst());
        out.writeInt(c.second().pair().key());
        out.writeBoolean(c.second().isFirst());
        out.writeInt((l.loop() << 1) | (l.firstPreferred() ? 1 : 0));
        out.writeDouble(l.s1());
        out.writeDouble(l.s2());
        sources.set(c.key());
        sources.set(c.second().pair().key());
      }
    }
    return sources;
  }

  private static final int BUILT_ROW = 4 + 1 + 4 + 1 + 4 + 8 + 8;

  /**
   * On an executor: the lines of the built labels (the table Spark fetched as {@code table}) both
   * of whose pairs are among {@code rows} (one part of the pool, placed by prompt), each by its
   * place among the built labels.
   */
  private static Iterator<Tuple2<Long, byte[]>> builtLines(
      Iterator<PoolRow> rows, String table, Pool.LineFormat format) throws IOException {
    java.util.Map<Long, PoolRow> here = new java.util.HashMap<>();
    rows.forEachRemaining(r -> here.put(r.order(), r));
    List<Tuple2<Long, byte[]>> out = new ArrayList<>();
    if (here.isEmpty()) {
      return out.iterator();
    }
    try (DataInputStream in =
        new DataInputStream(
            new java.io.BufferedInputStream(
                Files.newInputStream(Path.of(SparkFiles.get(table))), 1 << 16))) {
      long rowsInTable = Files.size(Path.of(SparkFiles.get(table))) / BUILT_ROW;
      for (long i = 0; i < rowsInTable; i++) {
        PoolRow a = here.get((long) in.readInt());
        boolean aFirst = in.readBoolean();
        PoolRow b = here.get((long) in.readInt());
        boolean bFirst = in.readBoolean();
        int loopAndLabel = in.readInt();
        double s1 = in.readDouble();
        double s2 = in.readDouble();
        if (a != null && b != null) {
          SelfLabel l =
              new SelfLabel(
                  new Comparison(
                      new Comparison.Answer(ExecutorPool.pairOf(a), aFirst),
                      new Comparison.Answer(ExecutorPool.pairOf(b), bFirst)),
                  (loopAndLabel & 1) == 1,
                  s1,
                  s2,
                  loopAndLabel >> 1);
          out.add(new Tuple2<>(i, format.line(l)));
        }
      }
    }
    return out.iterator();
  }

  /** On an executor: {@code lines} (in order) as {@code dir}/part-i.jsonl; {i, lines, bytes}. */
  private static long[] writeLines(Path dir, int i, Iterator<Tuple2<Long, byte[]>> lines)
      throws IOException {
    Files.createDirectories(dir);
    Path part = dir.resolve(partName(i));
    org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
    Path tmp =
        dir.resolve(
            "." + part.getFileName() + "." + (task == null ? 0 : task.taskAttemptId()) + ".tmp");
    long n = 0;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
      while (lines.hasNext()) {
        out.write(lines.next()._2());
        out.write('\n');
        n++;
      }
    }
    long bytes = Files.size(tmp);
    Files.move(tmp, part, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new long[] {i, n, bytes};
  }

  /**
   * On an executor: part {@code i}'s pairs, sorted by key, each with its labels (from the table
   * Spark fetched as {@code table}) as lines of {@code dir}/part-i.jsonl; {i, lines, bytes}.
   */
  private static long[] writePart(
      Path dir, int i, String table, Iterator<Tuple2<Long, PoolRow>> rows, Pool.LineFormat format)
      throws IOException {
    Files.createDirectories(dir);
    Path part = dir.resolve(partName(i));
    // The task attempt's own temporary file: a speculative or retried attempt of the same part
    // may write beside it, and the last rename wins with the same lines.
    org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
    Path tmp =
        dir.resolve(
            "." + part.getFileName() + "." + (task == null ? 0 : task.taskAttemptId()) + ".tmp");
    long lines = 0;
    try (Labels labels = new Labels(Path.of(SparkFiles.get(table)));
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
      boolean first = true;
      while (rows.hasNext()) {
        PoolRow row = rows.next()._2();
        int key = Math.toIntExact(row.order());
        if (first) {
          labels.seek(key);
          first = false;
        }
        UnlabeledPair p =
            new UnlabeledPair(key, row.id(), row.prompt(), row.first(), row.second(), null);
        for (SelfLabel l = labels.next(key, p); l != null; l = labels.next(key, p)) {
          out.write(format.line(l));
          out.write('\n');
          lines++;
        }
      }
    }
    long bytes = Files.size(tmp);
    Files.move(tmp, part, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new long[] {i, lines, bytes};
  }

  static String partName(int i) {
    return String.format(java.util.Locale.ROOT, "part-%05d.jsonl", i);
  }

  /**
   * The parts the tasks reported ({i, lines, bytes} each) that {@code dir} lacks or holds with
   * another size, and a note where the lines do not add up to {@code labels}: empty where the parts
   * are whole here.
   */
  static List<String> missing(Path dir, List<long[]> written, long labels) throws IOException {
    List<String> out = new ArrayList<>();
    long lines = 0;
    for (long[] w : written) {
      Path part = dir.resolve(partName((int) w[0]));
      if (!Files.isRegularFile(part) || Files.size(part) != w[2]) {
        out.add(part.getFileName().toString());
      }
      lines += w[1];
    }
    if (lines != labels) {
      out.add(lines + " lines for " + labels + " labels");
    }
    return out;
  }

  /**
   * The labels' table read forward from a key, the first found by binary search over its rows: a
   * part's pairs come in key order, as the table's rows are.
   */
  private static final class Labels implements AutoCloseable {
    private final FileChannel channel;
    private final long rows;
    private DataInputStream in;
    private long at; // the row {@link #in} reads next
    private int key = -1; // that row's key, read ahead (-1 before one is, or past the last)
    private int loopAndLabel;

    Labels(Path table) throws IOException {
      channel = FileChannel.open(table);
      rows = channel.size() / ROW;
    }

    /** Moves to the first row whose key is {@code from} or more. */
    void seek(int from) throws IOException {
      long lo = 0;
      long hi = rows;
      ByteBuffer b = ByteBuffer.allocate(4);
      while (lo < hi) {
        long mid = (lo + hi) >>> 1;
        b.clear();
        channel.read(b, mid * ROW);
        if (b.getInt(0) < from) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      at = lo;
      channel.position(at * ROW);
      in =
          new DataInputStream(
              new java.io.BufferedInputStream(java.nio.channels.Channels.newInputStream(channel)));
      readKey();
    }

    private void readKey() throws IOException {
      if (at >= rows) {
        key = -1;
        return;
      }
      key = in.readInt();
      loopAndLabel = in.readInt();
    }

    /** The next label of pair {@code key} ({@code pair}), or null where the rows have no more. */
    SelfLabel next(int wanted, UnlabeledPair pair) throws IOException {
      while (key != -1 && key < wanted) { // a label whose pair is in another part: skipped
        in.readDouble();
        in.readDouble();
        at++;
        readKey();
      }
      if (key != wanted) {
        return null;
      }
      SelfLabel l =
          new SelfLabel(
              Comparison.of(pair),
              (loopAndLabel & 1) == 1,
              in.readDouble(),
              in.readDouble(),
              loopAndLabel >> 1);
      at++;
      readKey();
      return l;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
