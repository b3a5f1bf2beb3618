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
 * (West-of-N) labels come after the plain ones, in their order, as parts of their own: the same
 * pass over the texts sends each built label's two pairs to the part of its place among them, where
 * they meet.
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
    Broadcast<long[]> findBuilt = null;
    try {
      ExecutorPool.KeyOrder order = ExecutorPool.KeyOrder.of(labels);
      writeTable(labels, order, table);
      context.sc().addFile(table.toString());
      int plain = order.count();
      int built = labels.size() - plain;
      long[] uses = writeBuiltTable(labels, builtTable);
      context.sc().addFile(builtTable.toString());
      find = context.broadcast(order.keys());
      findBuilt = context.broadcast(uses);
      Broadcast<BitSet> found = find;
      Broadcast<long[]> used = findBuilt;
      String name = table.getFileName().toString();
      String builtName = builtTable.getFileName().toString();
      String dir = parts.toString();
      int n =
          plain == 0
              ? 0
              : (int)
                  Math.min(
                      plain, Math.max(context.defaultParallelism(), 1 + plain / LABELS_PER_PART));
      int m = built == 0 ? 0 : Math.min(built, Math.max(1, built / LABELS_PER_PART));
      // One pass over the texts: a plain pick's pair goes to its key's part; a built pick's two
      // pairs go, each as often as built picks take an answer of it, to the part of that pick's
      // place among the built ones, after every plain part (size + place), where they meet.
      List<long[]> written =
          texts
              .flatMapToPair(r -> placesOf(r, found.value(), used.value(), size))
              .repartitionAndSortWithinPartitions(new PlainThenBuilt(n, size, m, built))
              .mapPartitionsWithIndex(
                  (i, rows) ->
                      List.of(
                              i < n
                                  ? writePart(Path.of(dir), i, name, rows, format)
                                  : writeBuiltPart(Path.of(dir), i, builtName, rows, format, size))
                          .iterator(),
                  true)
              .collect();
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
   * (the two pairs' keys, which answers, the loop and label, s1, s2). Returns each use of a pair by
   * a built label, (key << 32) | place, sorted.
   */
  private static long[] writeBuiltTable(List<SelfLabel> labels, Path table) throws IOException {
    java.util.stream.LongStream.Builder uses = java.util.stream.LongStream.builder();
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(table), 1 << 16))) {
      long place = 0;
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
        for (int key : new int[] {c.key(), c.second().pair().key()}) {
          uses.add(((long) key << 32) | place);
        }
        place++;
      }
    }
    long[] sorted = uses.build().toArray();
    java.util.Arrays.sort(sorted);
    return sorted;
  }

  /**
   * Where pair {@code r} goes (nowhere, mostly): its key, where a plain pick has it ({@code
   * plain}), and {@code size} + place for each built pick that takes an answer of it ({@code uses},
   * sorted (key << 32) | place).
   */
  private static Iterator<Tuple2<Long, PoolRow>> placesOf(
      PoolRow r, BitSet plain, long[] uses, long size) {
    long key = r.order();
    List<Tuple2<Long, PoolRow>> out = new ArrayList<>(1);
    if (plain.get(Math.toIntExact(key))) {
      out.add(new Tuple2<>(key, r));
    }
    int at = java.util.Arrays.binarySearch(uses, key << 32);
    for (int i = at >= 0 ? at : -at - 1; i < uses.length && (uses[i] >>> 32) == key; i++) {
      out.add(new Tuple2<>(size + (uses[i] & 0xFFFF_FFFFL), r));
    }
    return out.iterator();
  }

  private static final int BUILT_ROW = 4 + 1 + 4 + 1 + 4 + 8 + 8;

  /**
   * On an executor: a part of built labels (from the table Spark fetched as {@code table}), its
   * pairs sorted by {@code size} + the label's place, a label's two pairs together, as lines of
   * {@code dir}/part-i.jsonl; {i, lines, bytes}.
   */
  private static long[] writeBuiltPart(
      Path dir,
      int i,
      String table,
      Iterator<Tuple2<Long, PoolRow>> rows,
      Pool.LineFormat format,
      long size)
      throws IOException {
    try (FileChannel labels = FileChannel.open(Path.of(SparkFiles.get(table)))) {
      return writePartFile(
          dir,
          i,
          out -> {
            long lines = 0;
            ByteBuffer row = ByteBuffer.allocate(BUILT_ROW);
            Tuple2<Long, PoolRow> held = null;
            while (rows.hasNext()) {
              Tuple2<Long, PoolRow> t = rows.next();
              if (held == null || !held._1().equals(t._1())) {
                held = t; // a label's first pair: its second comes next
                continue;
              }
              row.clear();
              labels.read(row, (t._1() - size) * BUILT_ROW);
              int firstKey = row.getInt(0);
              boolean firstIsFirst = row.get(4) != 0;
              boolean secondIsFirst = row.get(9) != 0;
              int loopAndLabel = row.getInt(10);
              PoolRow a = held._2().order() == firstKey ? held._2() : t._2();
              PoolRow b = a == held._2() ? t._2() : held._2();
              SelfLabel l =
                  new SelfLabel(
                      new Comparison(
                          new Comparison.Answer(ExecutorPool.pairOf(a), firstIsFirst),
                          new Comparison.Answer(ExecutorPool.pairOf(b), secondIsFirst)),
                      (loopAndLabel & 1) == 1,
                      row.getDouble(14),
                      row.getDouble(22),
                      loopAndLabel >> 1);
              out.write(format.line(l));
              out.write('\n');
              lines++;
              held = null;
            }
            return lines;
          });
    }
  }

  /**
   * Plain picks' keys (0 to {@code size} - 1) in {@code n} ranges, then built picks' places ({@code
   * size} onwards, {@code built} of them) in {@code m}: parts read in order give the plain lines in
   * key order, then the built ones in theirs.
   */
  static final class PlainThenBuilt extends org.apache.spark.Partitioner {
    private final int n;
    private final int m;
    private final long size;
    private final long built;
    private final KeyRanges plain;
    private final KeyRanges places;

    PlainThenBuilt(int n, long size, int m, long built) {
      this.n = n;
      this.m = m;
      this.size = size;
      this.built = built;
      this.plain = new KeyRanges(n, size);
      this.places = new KeyRanges(m, built);
    }

    @Override
    public int numPartitions() {
      return Math.max(1, n + m);
    }

    @Override
    public int getPartition(Object key) {
      long k = (Long) key;
      return k < size ? plain.getPartition(k) : n + places.getPartition(k - size);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PlainThenBuilt p
          && p.n == n
          && p.m == m
          && p.size == size
          && p.built == built;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(n, m, size, built);
    }
  }

  /**
   * On an executor: part {@code i}'s pairs, sorted by key, each with its labels (from the table
   * Spark fetched as {@code table}) as lines of {@code dir}/part-i.jsonl; {i, lines, bytes}.
   */
  private static long[] writePart(
      Path dir, int i, String table, Iterator<Tuple2<Long, PoolRow>> rows, Pool.LineFormat format)
      throws IOException {
    try (Labels labels = new Labels(Path.of(SparkFiles.get(table)))) {
      return writePartFile(
          dir,
          i,
          out -> {
            long lines = 0;
            boolean first = true;
            while (rows.hasNext()) {
              PoolRow row = rows.next()._2();
              int key = Math.toIntExact(row.order());
              if (first) {
                labels.seek(key);
                first = false;
              }
              UnlabeledPair p = ExecutorPool.pairOf(row);
              for (SelfLabel l = labels.next(key, p); l != null; l = labels.next(key, p)) {
                out.write(format.line(l));
                out.write('\n');
                lines++;
              }
            }
            return lines;
          });
    }
  }

  /** What writes a part's lines, and says how many. */
  @FunctionalInterface
  private interface PartLines {
    long write(OutputStream out) throws IOException;
  }

  /**
   * On an executor: {@code dir}/part-i.jsonl as {@code lines} writes it, to the task attempt's own
   * temporary file, then renamed (a speculative or retried attempt of the same part may write
   * beside it, and the last rename wins with the same lines); {i, lines, bytes}.
   */
  private static long[] writePartFile(Path dir, int i, PartLines lines) throws IOException {
    Files.createDirectories(dir);
    Path part = dir.resolve(partName(i));
    org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
    Path tmp =
        dir.resolve(
            "." + part.getFileName() + "." + (task == null ? 0 : task.taskAttemptId()) + ".tmp");
    long n;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
      n = lines.write(out);
    }
    long bytes = Files.size(tmp);
    Files.move(tmp, part, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new long[] {i, n, bytes};
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
