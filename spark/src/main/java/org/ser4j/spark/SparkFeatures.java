package org.ser4j.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.split.SerDataset;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.InputStrategy;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.head.FeatureSource;
import org.ser4j.model.head.HeadFeatures;
import org.ser4j.model.head.PairFeatures;

/**
 * The frozen encoder run on a Spark cluster: every text is encoded on the executors ({@link
 * ExecutorEncoder}); the pool's vectors stay there, persisted, and are scored there ({@link
 * SparkPool}); the seed's and the test pairs' vectors come back to the driver, where the head is
 * trained. The driver holds the labeled + selected pairs' vectors (about 3 KB a pair at 384-d) and
 * two rewards a pool pair.
 */
public final class SparkFeatures implements FeatureSource {
  private final SparkSession spark;
  private final JavaSparkContext context;
  private final EncoderConfig encoder;
  private final int partitions;
  private final Map<String, Object> details = new LinkedHashMap<>();
  private SparkPool pool;

  /**
   * @param encoder the frozen encoder, its weights pinned by fingerprint (executors check it)
   * @param partitions partitions of the pool; 0: four per core of the cluster
   */
  public SparkFeatures(SparkSession spark, EncoderConfig encoder, int partitions)
      throws IOException {
    this.spark = spark;
    this.context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.encoder = encoder.pinned();
    this.partitions = partitions > 0 ? partitions : 4 * context.defaultParallelism();
  }

  /**
   * One job encodes every distinct text once (a response repeated across pairs is sent once, as the
   * in-process cache encodes it once); the seed's and the test pairs' vectors come back to the
   * driver, all of them stay on the executors, persisted.
   */
  @Override
  public HeadFeatures encode(SerDataset data) {
    long t0 = System.nanoTime();
    TextIds ids = new TextIds(encoder.strategy());
    int[] poolFirst = new int[data.pool().size()];
    int[] poolSecond = new int[data.pool().size()];
    for (UnlabeledPair p : data.pool()) {
      poolFirst[p.key()] = ids.of(new ResponseInput(p.prompt(), p.first()));
      poolSecond[p.key()] = ids.of(new ResponseInput(p.prompt(), p.second()));
    }
    int[][] labeled = ids.of(data.labeled());
    int[][] test = ids.of(data.test());
    EncoderConfig config = encoder; // not `this`: the closure ships to the executors
    JavaRDD<TextVector> vectors =
        context
            .parallelize(ids.rows, Math.max(1, Math.min(partitions, ids.rows.size())))
            .mapPartitions(rows -> ExecutorEncoder.encode(config, rows))
            .persist(StorageLevel.MEMORY_AND_DISK())
            .setName("ser4j text vectors");
    this.pool = new SparkPool(context, vectors, poolFirst, poolSecond, encoder);
    BitSet wanted = new BitSet();
    for (int[][] set : List.of(labeled, test)) {
      for (int[] side : set) {
        java.util.Arrays.stream(side).forEach(wanted::set);
      }
    }
    Map<Integer, float[]> fetched = pool.fetch(wanted); // encodes every text, once
    pool.setLabeledAndTest(pairs(labeled, fetched), pairs(test, fetched));
    long n = vectors.count();
    double seconds = (System.nanoTime() - t0) / 1e9;
    details.put("spark_partitions", partitions);
    details.put("spark_texts", n);
    details.put("spark_encode_seconds", seconds);
    details.put("spark_texts_per_second", n / seconds);
    System.err.printf(
        java.util.Locale.ROOT,
        "spark: encoded %d distinct texts in %.1f s (%.1f texts/s, %d partitions); their vectors stay on the executors%n",
        n,
        seconds,
        n / seconds,
        partitions);
    return pool;
  }

  private static PairFeatures pairs(int[][] ids, Map<Integer, float[]> vectors) {
    float[][] chosen = new float[ids[0].length][];
    float[][] rejected = new float[ids[0].length][];
    for (int i = 0; i < chosen.length; i++) {
      chosen[i] = vectors.get(ids[0][i]);
      rejected[i] = vectors.get(ids[1][i]);
    }
    return new PairFeatures(chosen, rejected);
  }

  /**
   * Numbers each distinct text once, in order of first appearance, as the in-process featurizer
   * shares rows: by what the encoder reads ({@link InputStrategy#identity}; with the answer alone,
   * 33k rows instead of 74k on a 1M-pair re-paired pool).
   */
  static final class TextIds {
    final List<TextRow> rows = new ArrayList<>();
    private final Map<Object, Integer> ids = new HashMap<>();
    private final InputStrategy strategy;

    TextIds(InputStrategy strategy) {
      this.strategy = strategy;
    }

    int of(ResponseInput input) {
      return ids.computeIfAbsent(
          strategy.identity(input),
          k -> {
            rows.add(new TextRow(rows.size(), input));
            return rows.size() - 1;
          });
    }

    /** Chosen texts' ids, then rejected texts' ids. */
    int[][] of(List<PreferencePair> pairs) {
      int[][] out = new int[2][pairs.size()];
      for (int i = 0; i < pairs.size(); i++) {
        out[0][i] = of(new ResponseInput(pairs.get(i).prompt(), pairs.get(i).chosen()));
        out[1][i] = of(new ResponseInput(pairs.get(i).prompt(), pairs.get(i).rejected()));
      }
      return out;
    }
  }

  @Override
  public EncoderConfig encoder() {
    return encoder;
  }

  @Override
  public Map<String, Object> details() {
    return details;
  }

  @Override
  public String summary() {
    return "spark: " + details;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.release();
    }
  }
}
