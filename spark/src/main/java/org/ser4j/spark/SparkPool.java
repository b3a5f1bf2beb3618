package org.ser4j.spark;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.model.PairRewards;
import org.ser4j.model.Tensor;
import org.ser4j.model.head.FeatureNormalizer;
import org.ser4j.model.head.Heads;
import org.ser4j.model.head.PairFeatures;
import org.ser4j.model.head.RewardHead;
import org.ser4j.model.head.RewardModel;
import org.ser4j.ser.HeadFeatures;

/**
 * A run's vectors with the pool's on the executors: scoring the pool ships the head (a broadcast of
 * its tensors and normalizer) to the vectors and brings back two rewards a pair; training fetches
 * only the selected pairs' vectors.
 */
final class SparkPool implements HeadFeatures {
  private final JavaSparkContext context;
  private final JavaRDD<PairVectors> pool;
  private final PairFeatures labeled;
  private final PairFeatures test;
  private final EncoderConfig encoder;

  SparkPool(
      JavaSparkContext context,
      JavaRDD<PairVectors> pool,
      PairFeatures labeled,
      PairFeatures test,
      EncoderConfig encoder) {
    this.context = context;
    this.pool = pool;
    this.labeled = labeled;
    this.test = test;
    this.encoder = encoder;
  }

  @Override
  public PairFeatures labeled() {
    return labeled;
  }

  @Override
  public PairFeatures test() {
    return test;
  }

  @Override
  public EncoderConfig encoder() {
    return encoder;
  }

  @Override
  public PairFeatures pool(int[] keys) {
    float[][] first = new float[keys.length][];
    float[][] second = new float[keys.length][];
    if (keys.length == 0) {
      return new PairFeatures(first, second);
    }
    Broadcast<BitSet> wanted = context.broadcast(bits(keys));
    Map<Integer, PairVectors> found =
        pool.filter(v -> wanted.value().get(v.key())).keyBy(PairVectors::key).collectAsMap();
    wanted.destroy();
    for (int i = 0; i < keys.length; i++) {
      PairVectors v = found.get(keys[i]);
      first[i] = v.first();
      second[i] = v.second();
    }
    return new PairFeatures(first, second);
  }

  @Override
  public PairRewards poolRewards(RewardModel model, List<UnlabeledPair> pairs) {
    int[] keys = pairs.stream().mapToInt(UnlabeledPair::key).toArray();
    Broadcast<BitSet> wanted = context.broadcast(bits(keys));
    Broadcast<ShippedHead> head =
        context.broadcast(new ShippedHead(model.head().tensors(), model.normalizer()));
    Map<Integer, double[]> scored =
        pool.filter(v -> wanted.value().get(v.key()))
            .mapPartitions(
                rows -> {
                  RewardHead h = Heads.fromTensors(head.value().tensors());
                  FeatureNormalizer norm = head.value().normalizer();
                  java.util.List<scala.Tuple2<Integer, double[]>> out = new java.util.ArrayList<>();
                  rows.forEachRemaining(
                      v ->
                          out.add(
                              new scala.Tuple2<>(
                                  v.key(),
                                  new double[] {
                                    h.score(norm.apply(v.first())), h.score(norm.apply(v.second()))
                                  })));
                  return out.iterator();
                })
            .mapToPair(t -> t)
            .collectAsMap();
    wanted.destroy();
    head.destroy();
    double[] r1 = new double[keys.length];
    double[] r2 = new double[keys.length];
    for (int i = 0; i < keys.length; i++) {
      double[] r = scored.get(keys[i]);
      r1[i] = r[0];
      r2[i] = r[1];
    }
    return new PairRewards(r1, r2);
  }

  private static BitSet bits(int[] keys) {
    BitSet b = new BitSet();
    for (int k : keys) {
      b.set(k);
    }
    return b;
  }

  void release() {
    pool.unpersist(false);
  }

  /**
   * What the executors need to score: the head's tensors and the normalizer. {@link RewardModel}
   * scores as {@code Heads.fromTensors(tensors).score(normalizer.apply(x))}, and so do they.
   */
  record ShippedHead(Map<String, Tensor> tensors, FeatureNormalizer normalizer)
      implements java.io.Serializable {}
}
