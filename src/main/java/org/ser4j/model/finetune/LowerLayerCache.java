package org.ser4j.model.finetune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.FeatureCache;
import org.ser4j.encoder.TokenizedInput;

/**
 * The frozen lower layers' token states of each sequence, keyed by its content (token ids and type
 * ids), so any caller may tokenize a text again and still hit. Kept in memory, and with a disk root
 * also in a {@link FeatureCache} named after the encoder's weights and the number of frozen layers,
 * so later runs (other seeds, resumed loops, `ser train` again) pay once.
 */
final class LowerLayerCache {
  private final Map<FeatureCache.Key, float[]> memory = new HashMap<>();
  private FeatureCache disk;

  private LowerLayerCache(FeatureCache disk) {
    this.disk = disk;
  }

  static LowerLayerCache inMemory() {
    return new LowerLayerCache(null);
  }

  /** Backed by disk under {@code root} (memory only when {@code root} is null). */
  static LowerLayerCache under(Path root, EncoderConfig encoder, int frozenLayers, int hidden)
      throws IOException {
    return new LowerLayerCache(
        root == null
            ? null
            : FeatureCache.open(root, encoder.lowerLayersNamespace(frozenLayers), hidden));
  }

  static FeatureCache.Key key(TokenizedInput s) {
    return FeatureCache.key(s.ids(), s.typeIds());
  }

  /** The states in memory, else on disk (counted as a disk hit or miss), else null. */
  float[] load(TokenizedInput s) {
    FeatureCache.Key k = key(s);
    float[] v = memory.get(k);
    if (v == null && disk != null) {
      v = disk.get(k);
      if (v != null) {
        memory.put(k, v);
      }
    }
    return v;
  }

  float[] get(TokenizedInput s) {
    return memory.get(key(s));
  }

  void put(TokenizedInput s, float[] states) {
    FeatureCache.Key k = key(s);
    memory.put(k, states);
    if (disk != null) {
      disk.put(k, states);
    }
  }

  /** Writes new states to disk; a failure (a full disk) only warns: the states stay in memory. */
  void flush() {
    if (disk == null) {
      return;
    }
    try {
      disk.flush();
    } catch (IOException e) {
      System.err.println("warning: could not write the lower-layer cache: " + e.getMessage());
      disk = null;
    }
  }

  /** The disk cache, or null. */
  FeatureCache disk() {
    return disk;
  }

  /** The disk cache's counts, or null without one. */
  String summary() {
    return disk == null ? null : disk.summary("lower-layer cache");
  }
}
