package org.ser4j.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {
  @TempDir Path dir;

  private static float[] vec(int seed) {
    return new float[] {seed, seed + 0.5f, -seed};
  }

  @Test
  void twoWritersShareOneDirectory() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<?>> jobs = new java.util.ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int writer = w;
      jobs.add(
          pool.submit(
              () -> {
                FeatureCache c = FeatureCache.open(dir, "ns", 3);
                for (int i = 0; i < 100; i++) {
                  c.put(FeatureCache.key(null, writer + ":" + i), vec(i));
                  if (i % 10 == 9) {
                    c.flush();
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : jobs) {
      f.get();
    }
    pool.shutdown();
    FeatureCache reader = FeatureCache.open(dir, "ns", 3);
    assertEquals(200, reader.size());
    assertArrayEquals(vec(42), reader.get(FeatureCache.key(null, "1:42")));
    assertEquals(0, reader.corrupt());
  }

  @Test
  void aDamagedEntryIsDroppedNotReturned() throws Exception {
    FeatureCache c = FeatureCache.open(dir, "ns", 3);
    c.put(FeatureCache.key(null, "a"), vec(1));
    c.put(FeatureCache.key(null, "b"), vec(2));
    c.flush();
    Path segment;
    try (var files = Files.list(dir.resolve("ns"))) {
      segment = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      long firstVector = 8 + 4 + 16; // magic, dimension, key
      f.seek(firstVector);
      f.writeFloat(999f);
    }
    FeatureCache reopened = FeatureCache.open(dir, "ns", 3);
    assertEquals(1, reopened.corrupt());
    assertNull(
        reopened.get(FeatureCache.key(null, "a")),
        "a damaged entry is a miss, to be encoded again");
    assertArrayEquals(vec(2), reopened.get(FeatureCache.key(null, "b")));
  }

  @Test
  void contextAndTextAreKeyedApart() {
    assertEquals(FeatureCache.key("p", "r"), FeatureCache.key("p", "r"));
    org.junit.jupiter.api.Assertions.assertNotEquals(
        FeatureCache.key(null, "pr"), FeatureCache.key("p", "r"));
    org.junit.jupiter.api.Assertions.assertNotEquals(
        FeatureCache.key("", "r"), FeatureCache.key(null, "r"));
  }

  @Test
  void multiRowEntriesRoundTripBesideSingleRowSegments() throws Exception {
    FeatureCache c = FeatureCache.open(dir, "ns", 3);
    c.put(FeatureCache.key(null, "one"), vec(1));
    c.flush(); // a fixed-width segment
    float[] twoRows = {1, 2, 3, 4, 5, 6};
    c.put(FeatureCache.key(new long[] {101, 7}, new long[] {0, 0}), twoRows);
    c.put(FeatureCache.key(null, "again"), vec(3));
    c.flush(); // a row-count segment
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> c.put(FeatureCache.key(null, "x"), new float[4]));
    FeatureCache reopened = FeatureCache.open(dir, "ns", 3);
    assertEquals(3, reopened.size());
    assertEquals(0, reopened.corrupt());
    assertArrayEquals(vec(1), reopened.get(FeatureCache.key(null, "one")));
    assertArrayEquals(vec(3), reopened.get(FeatureCache.key(null, "again")));
    assertArrayEquals(
        twoRows, reopened.get(FeatureCache.key(new long[] {101, 7}, new long[] {0, 0})));
    assertNull(
        reopened.get(FeatureCache.key(new long[] {101, 7}, new long[] {0, 1})),
        "type ids are part of the key");
  }

  @Test
  void aDamagedRowCountDropsTheRestOfItsSegmentOnly() throws Exception {
    FeatureCache c = FeatureCache.open(dir, "ns", 3);
    c.put(FeatureCache.key(new long[] {1}, new long[] {0}), new float[] {1, 2, 3, 4, 5, 6});
    c.put(FeatureCache.key(new long[] {2}, new long[] {0}), new float[] {7, 8, 9});
    c.flush();
    Path segment;
    try (var files = Files.list(dir.resolve("ns"))) {
      segment = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      f.seek(8 + 4 + 16); // magic, dimension, key: the first record's row count
      f.writeInt(1_000_000);
    }
    FeatureCache reopened = FeatureCache.open(dir, "ns", 3);
    assertEquals(0, reopened.size(), "nothing after an impossible row count is trusted");
    assertEquals(1, reopened.corrupt());
  }
}
