package org.ser4j.encoder;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.ser4j.util.AtomicFiles;

/**
 * Encoded vectors on disk, so that a text is encoded once across commands and SER loops. One
 * directory per (encoder weights, max length, pooling); inside, immutable segment files, each
 * written whole under a unique name and renamed into place, so two processes can share the cache:
 * neither ever sees the other's half-written file, and a duplicate entry is harmless. Every entry
 * carries a CRC32; a damaged entry is dropped on load and simply encoded again.
 *
 * <p>An entry is one vector of {@code dimension} floats (pooled features) or several such rows (a
 * sequence's token states, cached below the layers being fine-tuned); segments of one-row entries
 * keep the original fixed-width format, segments with longer entries record each entry's row count.
 */
public final class FeatureCache {
  private static final byte[] MAGIC = "SER4JFC1".getBytes(StandardCharsets.US_ASCII);

  /** Segments whose entries may hold several rows: each record has its row count after the key. */
  private static final byte[] MAGIC_ROWS = "SER4JFC2".getBytes(StandardCharsets.US_ASCII);

  /** A 128-bit hash of what was encoded. */
  public record Key(long hi, long lo) {}

  private final Path dir;
  private final int dimension;
  private final Map<Key, float[]> entries = new HashMap<>();
  private final Map<Key, float[]> unsaved = new LinkedHashMap<>();
  private long hits;
  private long misses;
  private long corrupt;

  private FeatureCache(Path dir, int dimension) {
    this.dir = dir;
    this.dimension = dimension;
  }

  /** An in-memory cache that never touches disk. */
  public static FeatureCache inMemory(int dimension) {
    return new FeatureCache(null, dimension);
  }

  /** Opens (and loads) the cache for one encoder configuration under {@code root}. */
  public static FeatureCache open(Path root, String namespace, int dimension) throws IOException {
    FeatureCache cache = new FeatureCache(root.resolve(namespace), dimension);
    Files.createDirectories(cache.dir);
    try (Stream<Path> files = Files.list(cache.dir)) {
      for (Path segment :
          files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList()) {
        cache.load(segment);
      }
    }
    return cache;
  }

  private void load(Path segment) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(segment));
    if (in.remaining() < MAGIC.length + 4) {
      corrupt++;
      return;
    }
    byte[] magic = new byte[MAGIC.length];
    in.get(magic);
    boolean rows = java.util.Arrays.equals(magic, MAGIC_ROWS);
    if (!(rows || java.util.Arrays.equals(magic, MAGIC)) || in.getInt() != dimension) {
      corrupt++;
      return;
    }
    // A record: key, row count (SER4JFC2 only), rows, CRC32 of everything before it.
    int header = rows ? 16 + 4 : 16;
    CRC32 crc = new CRC32();
    while (in.remaining() >= header + 4 * dimension + 4) {
      int start = in.position();
      long hi = in.getLong();
      long lo = in.getLong();
      int count = rows ? in.getInt() : 1;
      long floats = (long) count * dimension;
      if (count < 1 || floats * 4 + 4 > in.remaining()) {
        corrupt++; // a damaged row count: the records after it cannot be found
        return;
      }
      float[] v = new float[(int) floats];
      in.asFloatBuffer().get(v);
      int end = start + header + 4 * v.length;
      in.position(end);
      crc.reset();
      crc.update(in.array(), start, end - start);
      if ((int) crc.getValue() != in.getInt()) {
        corrupt++;
        continue;
      }
      entries.put(new Key(hi, lo), v);
    }
    if (in.hasRemaining()) {
      corrupt++; // a torn tail: cannot happen with atomic renames, but never trust it
    }
  }

  /** The key of a tokenized sequence: its token ids and token type ids. */
  public static Key key(long[] ids, long[] typeIds) {
    ByteBuffer b = ByteBuffer.allocate(8 * (ids.length + typeIds.length) + 8);
    b.putInt(ids.length).putInt(typeIds.length);
    for (long id : ids) {
      b.putLong(id);
    }
    for (long t : typeIds) {
      b.putLong(t);
    }
    MessageDigest sha = sha256();
    sha.update(b.array());
    return keyOf(sha);
  }

  /** The key of one encoder input: the optional context segment and the text. */
  public static Key key(String context, String text) {
    MessageDigest sha = sha256();
    if (context != null) {
      sha.update((byte) 1);
      sha.update(context.getBytes(StandardCharsets.UTF_8));
    }
    sha.update((byte) 0);
    sha.update(text.getBytes(StandardCharsets.UTF_8));
    return keyOf(sha);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first 128 bits of the digest. */
  private static Key keyOf(MessageDigest sha) {
    ByteBuffer digest = ByteBuffer.wrap(sha.digest());
    return new Key(digest.getLong(), digest.getLong());
  }

  public synchronized float[] get(Key key) {
    float[] v = entries.get(key);
    if (v != null) {
      hits++;
    } else {
      misses++;
    }
    return v;
  }

  /** A lookup that is not counted as a hit or miss. */
  synchronized float[] peek(Key key) {
    return entries.get(key);
  }

  /**
   * Drops every vector held in memory (unsaved ones too): for an in-memory cache whose texts are
   * not seen again, as on a cluster's executors.
   */
  public synchronized void forget() {
    entries.clear();
    unsaved.clear();
  }

  public synchronized void put(Key key, float[] vector) {
    if (vector.length == 0 || vector.length % dimension != 0) {
      throw new IllegalArgumentException(
          "expected rows of " + dimension + " dimensions, got " + vector.length + " floats");
    }
    if (entries.put(key, vector) == null) {
      unsaved.put(key, vector);
    }
  }

  /** Writes the entries added since the last flush as one new segment. */
  public synchronized void flush() throws IOException {
    if (dir == null || unsaved.isEmpty()) {
      unsaved.clear();
      return;
    }
    List<Map.Entry<Key, float[]>> batch = new ArrayList<>(unsaved.entrySet());
    boolean rows = batch.stream().anyMatch(e -> e.getValue().length != dimension);
    Path segment = dir.resolve(System.currentTimeMillis() + "-" + UUID.randomUUID() + ".seg");
    AtomicFiles.write(
        segment,
        out -> {
          DataOutputStream data =
              new DataOutputStream(new java.io.BufferedOutputStream(out, 1 << 16));
          data.write(rows ? MAGIC_ROWS : MAGIC);
          data.writeInt(dimension);
          ByteArrayOutputStream record = new ByteArrayOutputStream(16 + 4 * dimension);
          DataOutputStream r = new DataOutputStream(record);
          CRC32 crc = new CRC32();
          for (Map.Entry<Key, float[]> e : batch) {
            record.reset();
            r.writeLong(e.getKey().hi());
            r.writeLong(e.getKey().lo());
            if (rows) {
              r.writeInt(e.getValue().length / dimension);
            }
            for (float f : e.getValue()) {
              r.writeFloat(f);
            }
            crc.reset();
            crc.update(record.toByteArray());
            data.write(record.toByteArray());
            data.writeInt((int) crc.getValue());
          }
          data.flush();
        });
    unsaved.clear();
  }

  public int dimension() {
    return dimension;
  }

  public synchronized int size() {
    return entries.size();
  }

  public synchronized long hits() {
    return hits;
  }

  public synchronized long misses() {
    return misses;
  }

  /** Entries (or whole segments) dropped on load because their checksum or header was wrong. */
  public synchronized long corrupt() {
    return corrupt;
  }

  /** Bytes on disk in this cache's segments. */
  public long diskBytes() throws IOException {
    if (dir == null) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      long total = 0;
      for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".seg")).toList()) {
        total += Files.size(p);
      }
      return total;
    }
  }

  public synchronized String summary() {
    return summary("feature cache");
  }

  /** Entries, hits and lookups, under the name {@code what}. */
  public synchronized String summary(String what) {
    long lookups = hits + misses;
    return String.format(
        java.util.Locale.ROOT,
        "%s: %d entries, %d hits / %d lookups (%.1f%%)%s",
        what,
        entries.size(),
        hits,
        lookups,
        lookups == 0 ? 0.0 : 100.0 * hits / lookups,
        corrupt > 0 ? ", " + corrupt + " corrupt entries dropped" : "");
  }
}
