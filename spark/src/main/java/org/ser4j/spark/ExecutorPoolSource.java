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
import org.ser4j.data.ContentId;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.split.SerDataset;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.head.FeatureSource;
import org.ser4j.model.head.HeadFeatures;

/**
 * The frozen encoder on a Spark cluster with the pool read there too: the seed's and test pairs'
 * texts are encoded as {@link SparkFeatures} encodes them and come back; the pool is read on the
 * executors ({@link PoolReader}), less the pairs the seed or test set compare (by content id),
 * encoded where it was read and persisted there ({@link ExecutorPool}). With West-of-N the pool is
 * placed by prompt (each prompt's pairs in one part, found by its id by content), so that a part
 * finds its prompts' built pairs alone ({@link ExecutorWestOfN}).
 */
final class ExecutorPoolSource implements FeatureSource {
  private final SparkSession spark;
  private final SparkFeatures seedAndTest;
  private final String source;
  private final boolean skipBad;
  private final int partitions;
  private final int driverFitMax;
  private final boolean westOfN;
  private final Map<String, Object> details = new LinkedHashMap<>();
  private final java.io.PrintWriter log;
  private ExecutorPool pool;

  ExecutorPoolSource(
      SparkSession spark,
      EncoderConfig encoder,
      int partitions,
      String source,
      boolean skipBad,
      int driverFitMax,
      boolean westOfN,
      java.io.PrintWriter log)
      throws IOException {
    this.westOfN = westOfN;
    this.log = log;
    this.driverFitMax = driverFitMax;
    this.spark = spark;
    this.seedAndTest = new SparkFeatures(spark, encoder, partitions);
    this.source = source;
    this.skipBad = skipBad;
    this.partitions = partitions > 0 ? partitions : 4 * spark.sparkContext().defaultParallelism();
  }

  @Override
  public HeadFeatures encode(SerDataset data) throws IOException {
    long t0 = System.nanoTime();
    SparkPool labeledAndTest = (SparkPool) seedAndTest.encode(data);
    List<Long> known = new ArrayList<>();
    // People's labels added later stay in the pool (the loop never picks them), as in one process.
    List<PreferencePair> first =
        data.labeled().subList(0, data.labeled().size() - data.added().pairs());
    for (List<PreferencePair> set : List.of(first, data.test())) {
      for (PreferencePair p : set) {
        known.add(ContentId.of(p.prompt(), p.chosen(), p.rejected()));
      }
    }
    long[] knownIds = known.stream().mapToLong(Long::longValue).sorted().toArray();
    PoolReader reader = new PoolReader(spark);
    EncoderConfig config = seedAndTest.encoder(); // not `this`: the closure ships
    JavaRDD<PoolRow> read; // with texts: read again, from the shuffle's files, where asked
    JavaRDD<PoolRow> rows;
    try {
      read = placed(reader.read(source, skipBad, knownIds));
      rows =
          read.mapPartitions(it -> encodePartition(config, it))
              // Persisted without texts (a real pool's answers are most of a pair): scoring and
              // fitting read vectors alone, and the rest fits in memory twice as far.
              .map(PoolRow::vectorsOnly)
              .persist(StorageLevel.MEMORY_AND_DISK())
              .setName("ser4j pool");
    } catch (RuntimeException e) {
      throw SparkErrors.unwrap(e);
    }
    long size;
    try {
      size = rows.count();
    } catch (RuntimeException e) {
      throw SparkErrors.unwrap(e);
    }
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          source + ": " + size + " pool pairs; at most " + Integer.MAX_VALUE + " are keyed");
    }
    ReadOrderKeys keys;
    try {
      keys = new ReadOrderKeys(rows);
    } catch (RuntimeException e) {
      throw SparkErrors.unwrap(e);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (size == 0) {
      throw new IllegalArgumentException(
          source + ": no usable pool pair (" + reader.summary() + ")");
    }
    details.putAll(seedAndTest.details());
    details.put("spark_pool_pairs", size);
    details.put("spark_pool_seconds", seconds);
    log.printf(
        java.util.Locale.ROOT,
        "spark: read and encoded a pool of %d pairs on the executors in %.1f s (%s); it stays there%n",
        size,
        seconds,
        reader.summary());
    log.flush();
    pool =
        new ExecutorPool(
            JavaSparkContext.fromSparkContext(spark.sparkContext()),
            keys,
            keys.keyed(read),
            size,
            labeledAndTest,
            driverFitMax,
            westOfN,
            log);
    return pool;
  }

  /**
   * The pool as read, spread over the parts: evenly, or with West-of-N by prompt (the pairs with
   * their texts' ids).
   */
  private JavaRDD<PoolRow> placed(JavaRDD<PoolRow> read) {
    if (!westOfN) {
      return read.repartition(partitions);
    }
    return read.map(PoolRow::withTextIds)
        .mapToPair(r -> new scala.Tuple2<>(r.promptId(), r))
        .partitionBy(new org.apache.spark.HashPartitioner(partitions))
        .values();
  }

  /**
   * A partition's pairs with their answers' vectors: each distinct text (by what the encoder reads)
   * encoded once, in one call.
   */
  private static java.util.Iterator<PoolRow> encodePartition(
      EncoderConfig config, java.util.Iterator<PoolRow> it) {
    // A partition holds each repeated prompt and answer once (answers of a `responses` record sit
    // in two pairs; prompts have several answers), as the in-process readers do.
    org.ser4j.data.format.TextInterner interner = new org.ser4j.data.format.TextInterner();
    List<PoolRow> rows = new ArrayList<>();
    it.forEachRemaining(
        r ->
            rows.add(
                new PoolRow(
                        r.order(),
                        r.contentId(),
                        r.id(),
                        interner.prompt(r.prompt()),
                        interner.text(r.first()),
                        interner.text(r.second()),
                        null,
                        null)
                    .withTextIds(r.textIds())));
    SparkFeatures.TextIds texts = new SparkFeatures.TextIds(config.strategy());
    int[][] at = new int[rows.size()][2];
    for (int i = 0; i < rows.size(); i++) {
      PoolRow r = rows.get(i);
      at[i][0] = texts.of(new ResponseInput(r.prompt(), r.first()));
      at[i][1] = texts.of(new ResponseInput(r.prompt(), r.second()));
    }
    float[][] vectors = new float[texts.rows.size()][];
    ExecutorEncoder.encode(config, texts.rows.iterator())
        .forEachRemaining(v -> vectors[v.id()] = v.vector());
    List<PoolRow> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      out.add(rows.get(i).withVectors(vectors[at[i][0]], vectors[at[i][1]]));
    }
    return out.iterator();
  }

  ExecutorPool pool() {
    return pool;
  }

  @Override
  public EncoderConfig encoder() {
    return seedAndTest.encoder();
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
    seedAndTest.close();
  }
}
