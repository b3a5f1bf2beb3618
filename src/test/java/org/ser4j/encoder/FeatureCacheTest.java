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
      jobs.add(pool.submit(() -> {
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
    assertNull(reopened.get(FeatureCache.key(null, "a")), "a damaged entry is a miss, to be encoded again");
    assertArrayEquals(vec(2), reopened.get(FeatureCache.key(null, "b")));
  }

  @Test
  void contextAndTextAreKeyedApart() {
    assertEquals(FeatureCache.key("p", "r"), FeatureCache.key("p", "r"));
    org.junit.jupiter.api.Assertions.assertNotEquals(FeatureCache.key(null, "pr"), FeatureCache.key("p", "r"));
    org.junit.jupiter.api.Assertions.assertNotEquals(FeatureCache.key("", "r"), FeatureCache.key(null, "r"));
  }
}
