package org.ser4j.spark;

import java.util.ArrayList;
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
import org.ser4j.model.head.HeadFeatures;
import org.ser4j.model.head.HeadModel;
import org.ser4j.model.head.Heads;
import org.ser4j.model.head.PairFeatures;
import org.ser4j.model.head.RewardHead;
import scala.Tuple2;

/**
 * A run's vectors with the pool's on the executors, one per distinct text: scoring the pool ships
 * the head to the vectors and brings back one reward a text; training fetches only the selected
 * pairs' vectors.
 */
final class SparkPool implements HeadFeatures {
  private final JavaSparkContext context;
  private final JavaRDD<TextVector> vectors;
  private final int[] poolFirst;
  private final int[] poolSecond;
  private final EncoderConfig encoder;
  private PairFeatures labeled;
  private PairFeatures test;

  /**
   * @param poolFirst the text id of each pool pair's first answer, by pair key
   * @param poolSecond the same for second answers
   */
  SparkPool(
      JavaSparkContext context,
      JavaRDD<TextVector> vectors,
      int[] poolFirst,
      int[] poolSecond,
      EncoderConfig encoder) {
    this.context = context;
    this.vectors = vectors;
    this.poolFirst = poolFirst;
    this.poolSecond = poolSecond;
    this.encoder = encoder;
  }

  void setLabeledAndTest(PairFeatures labeled, PairFeatures test) {
    this.labeled = labeled;
    this.test = test;
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

  /** The vectors of texts {@code ids}, brought to the driver. */
  Map<Integer, float[]> fetch(BitSet ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    Broadcast<BitSet> wanted = context.broadcast(ids);
    try {
      return vectors
          .filter(v -> wanted.value().get(v.id()))
          .mapToPair(v -> new Tuple2<>(v.id(), v.vector()))
          .collectAsMap();
    } finally {
      wanted.destroy();
    }
  }

  @Override
  public PairFeatures pool(int[] keys) {
    Map<Integer, float[]> found = fetch(textsOf(keys));
    float[][] first = new float[keys.length][];
    float[][] second = new float[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      first[i] = found.get(poolFirst[keys[i]]);
      second[i] = found.get(poolSecond[keys[i]]);
    }
    return new PairFeatures(first, second);
  }

  /**
   * Ships the head to the vectors (a broadcast of its tensors and normalizer) and brings back one
   * reward a text.
   */
  @Override
  public PairRewards poolRewards(HeadModel model, List<UnlabeledPair> pairs) {
    int[] keys = pairs.stream().mapToInt(UnlabeledPair::key).toArray();
    Map<Integer, Double> rewards = Map.of();
    if (keys.length > 0) {
      Broadcast<BitSet> wanted = context.broadcast(textsOf(keys));
      Broadcast<ShippedHead> head =
          context.broadcast(new ShippedHead(model.head().tensors(), model.normalizer()));
      try {
        rewards =
            vectors
                .filter(v -> wanted.value().get(v.id()))
                .mapPartitionsToPair(
                    rows -> {
                      RewardHead h = Heads.fromTensors(head.value().tensors());
                      FeatureNormalizer norm = head.value().normalizer();
                      List<Tuple2<Integer, Double>> out = new ArrayList<>();
                      rows.forEachRemaining(
                          v -> out.add(new Tuple2<>(v.id(), h.score(norm.apply(v.vector())))));
                      return out.iterator();
                    })
                .collectAsMap();
      } finally {
        wanted.destroy();
        head.destroy();
      }
    }
    double[] r1 = new double[keys.length];
    double[] r2 = new double[keys.length];
    for (int i = 0; i < keys.length; i++) {
      r1[i] = rewards.get(poolFirst[keys[i]]);
      r2[i] = rewards.get(poolSecond[keys[i]]);
    }
    return new PairRewards(r1, r2);
  }

  private BitSet textsOf(int[] keys) {
    BitSet b = new BitSet();
    for (int k : keys) {
      b.set(poolFirst[k]);
      b.set(poolSecond[k]);
    }
    return b;
  }

  void release() {
    vectors.unpersist(false);
  }

  /**
   * What the executors need to score: the head's tensors and the normalizer. {@link HeadModel}
   * scores as {@code Heads.fromTensors(tensors).score(normalizer.apply(x))}, and so do they.
   */
  record ShippedHead(Map<String, Tensor> tensors, FeatureNormalizer normalizer)
      implements java.io.Serializable {}
}
