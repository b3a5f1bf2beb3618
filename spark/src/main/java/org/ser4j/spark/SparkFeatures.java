package org.ser4j.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.SerDataset;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.model.head.PairFeatures;
import org.ser4j.ser.FeatureSource;
import org.ser4j.ser.HeadFeatures;

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
   * One job encodes every text: the pool's pairs keep their keys, the seed's and the test pairs
   * follow; those come back to the driver, the pool's stay on the executors, persisted.
   */
  @Override
  public HeadFeatures encode(SerDataset data) {
    long t0 = System.nanoTime();
    int poolSize = data.pool().size();
    List<PairText> texts = new ArrayList<>();
    for (UnlabeledPair p : data.pool()) {
      texts.add(new PairText(p.key(), p.prompt(), p.first(), p.second()));
    }
    for (List<PreferencePair> set : List.of(data.labeled(), data.test())) {
      for (PreferencePair p : set) {
        texts.add(new PairText(texts.size(), p.prompt(), p.chosen(), p.rejected()));
      }
    }
    EncoderConfig config = encoder; // not `this`: the closure ships to the executors
    JavaRDD<PairVectors> all =
        context
            .parallelize(texts, Math.max(1, Math.min(partitions, texts.size())))
            .mapPartitions(rows -> ExecutorEncoder.encode(config, rows))
            .persist(StorageLevel.MEMORY_AND_DISK());
    float[][][] sets = new float[4][][];
    int labeled = data.labeled().size();
    sets[0] = new float[labeled][];
    sets[1] = new float[labeled][];
    sets[2] = new float[data.test().size()][];
    sets[3] = new float[data.test().size()][];
    for (PairVectors v : all.filter(v -> v.key() >= poolSize).collect()) {
      int i = v.key() - poolSize;
      int set = i < labeled ? 0 : 2;
      int row = i < labeled ? i : i - labeled;
      sets[set][row] = v.first();
      sets[set + 1][row] = v.second();
    }
    JavaRDD<PairVectors> pool =
        all.filter(v -> v.key() < poolSize)
            .persist(StorageLevel.MEMORY_AND_DISK())
            .setName("ser4j pool vectors");
    long n = pool.count();
    all.unpersist(false);
    double seconds = (System.nanoTime() - t0) / 1e9;
    details.put("spark_partitions", partitions);
    details.put("spark_encode_seconds", seconds);
    details.put("spark_texts_per_second", 2 * texts.size() / seconds);
    System.err.printf(
        java.util.Locale.ROOT,
        "spark: encoded %d texts in %.1f s (%.1f texts/s, %d partitions, %d pool pairs kept on the executors)%n",
        2 * texts.size(),
        seconds,
        2 * texts.size() / seconds,
        partitions,
        n);
    this.pool =
        new SparkPool(
            context,
            pool,
            new PairFeatures(sets[0], sets[1]),
            new PairFeatures(sets[2], sets[3]),
            encoder);
    return this.pool;
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
