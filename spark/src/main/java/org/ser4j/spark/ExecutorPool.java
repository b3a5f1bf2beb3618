package org.ser4j.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import org.ser4j.data.ContentId;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.split.SerDataset;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.model.PairRewards;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.head.FeatureNormalizer;
import org.ser4j.model.head.HeadFeatures;
import org.ser4j.model.head.HeadModel;
import org.ser4j.model.head.Heads;
import org.ser4j.model.head.PairFeatures;
import org.ser4j.model.head.RewardHead;
import org.ser4j.model.learn.Comparison;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.ser.select.CandidateSource;
import org.ser4j.ser.select.PairFilter;
import org.ser4j.ser.select.PairSelection;
import org.ser4j.ser.select.Pool;
import org.ser4j.ser.select.Taken;
import scala.Tuple2;

/**
 * A pool that lives on the executors, read ({@link PoolReader}), encoded and persisted there. Each
 * loop the head is broadcast with the ids of the pairs taken so far and the rule's {@link
 * PairSelection#necessary} test; the executors score every pair left and send back the ids and
 * rewards of those that pass, in any order; the driver puts them in the pool's read order and lets
 * the core's rule pick among them, so the picks are those of the same rule in one process. Only the
 * picked pairs' texts come to the driver (for selected.jsonl), once for the run and its fold runs.
 * The driver holds the seed's and test pairs' vectors, the picks, and their vectors while a fit
 * runs.
 */
final class ExecutorPool implements HeadFeatures, Pool {
  private final JavaSparkContext context;
  private final JavaRDD<PoolRow> rows;
  private final long size;
  private final SparkPool seedAndTest;
  private PairSelection rule;
  // Fetches of more pairs than this stream partition by partition.
  private static final int STREAM_ABOVE = 10_000;
  private final int driverFitMax;
  private final java.io.PrintWriter log;
  // This process's key for each pool pair it has met (candidates, picks, added labels) and back.
  // A pair is known by where it was read (PoolRow.order): a pool may hold the same pair twice, and
  // one process keeps both, as two pairs. Concurrent maps: the fold runs pick at once.
  private final Map<Integer, Long> orders = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<Long, Integer> keys = new java.util.concurrent.ConcurrentHashMap<>();
  // The pairs picked so far, with their texts, by read order: one object each for every run.
  private final Map<Long, UnlabeledPair> named = new java.util.concurrent.ConcurrentHashMap<>();
  // Their prompts and answers, each once (pools repeat them).
  private final org.ser4j.data.format.TextInterner interner =
      new org.ser4j.data.format.TextInterner();
  private final java.util.concurrent.atomic.AtomicInteger nextKey =
      new java.util.concurrent.atomic.AtomicInteger();

  /** The key this process gives the pool pair read at {@code order}: one per pair. */
  private int keyOf(long order) {
    return keys.computeIfAbsent(
        order,
        k -> {
          int key = nextKey.getAndIncrement();
          orders.put(key, k);
          return key;
        });
  }

  ExecutorPool(
      JavaSparkContext context,
      JavaRDD<PoolRow> rows,
      long size,
      SparkPool seedAndTest,
      int driverFitMax,
      java.io.PrintWriter log) {
    this.log = log;
    this.context = context;
    this.rows = rows;
    this.size = size;
    this.seedAndTest = seedAndTest;
    this.driverFitMax = driverFitMax;
  }

  /**
   * A training set with more than {@code driverFitMax} self-labels is fit where the pool is: its
   * pairs stay on the executors ({@link ExecutorRows}); a smaller one is fetched and fit here.
   */
  @Override
  public org.ser4j.model.head.FullBatchTrainer.Rows rowsElsewhere(
      org.ser4j.model.learn.TrainingSet set) {
    List<SelfLabel> self = set.selfLabeled();
    if (self.size() <= driverFitMax) {
      return null;
    }
    long[] ids = new long[self.size()];
    boolean[] first = new boolean[self.size()];
    for (int i = 0; i < ids.length; i++) {
      SelfLabel l = self.get(i);
      ids[i] = orders.get(l.chosenAnswer().pair().key());
      first[i] = l.chosenAnswer().isFirst();
    }
    PairFeatures seed = labeled().select(set.labeled());
    log.printf(
        java.util.Locale.ROOT,
        "spark: fitting %,d pairs (%,d self-labels) where the pool is, full-batch%n",
        set.size(),
        self.size());
    log.flush();
    return new ExecutorRows(
        context,
        rows,
        seed,
        ExecutorRows.Picks.of(ids, first),
        set.unweighted() ? 1.0 : set.selfLabelWeight(),
        labeled().chosen()[0].length,
        rows.getNumPartitions());
  }

  /** This pool, picked from by {@code rule}. */
  ExecutorPool pickedBy(PairSelection rule) {
    this.rule = rule;
    return this;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public long left(Taken taken) {
    Broadcast<long[]> gone = context.broadcast(idsOf(taken));
    try {
      return rows.filter(r -> Arrays.binarySearch(gone.value(), r.order()) < 0).count();
    } finally {
      gone.destroy();
    }
  }

  @Override
  public Round pick(TrainedModel model, Taken taken, PairSelection.Context context)
      throws IOException {
    PairFilter passes = rule.necessary(context); // the context computes T once for both

    if (passes == null) {
      throw new IllegalArgumentException(
          "this selection reads the whole pool's rewards (--selection-scale pool): not with the pool on the executors");
    }
    if (!(model instanceof HeadModel head)) {
      throw new IllegalArgumentException(
          "the pool on the executors is scored by a linear or MLP head");
    }
    LongAccumulator left = this.context.sc().longAccumulator("pool pairs left");
    Broadcast<long[]> gone = this.context.broadcast(idsOf(taken));
    Broadcast<SparkPool.ShippedHead> shipped =
        this.context.broadcast(new SparkPool.ShippedHead(head.head().tensors(), head.normalizer()));
    Broadcast<PairFilter> test = this.context.broadcast(passes);
    List<Scored> found;
    try {
      found =
          rows.mapPartitions(
                  it -> {
                    RewardHead h = Heads.fromTensors(shipped.value().tensors());
                    FeatureNormalizer norm = shipped.value().normalizer();
                    Scored.Builder out = new Scored.Builder();
                    while (it.hasNext()) {
                      PoolRow r = it.next();
                      if (Arrays.binarySearch(gone.value(), r.order()) >= 0) {
                        continue;
                      }
                      left.add(1);
                      double r1 = h.score(norm.apply(r.firstVector()));
                      double r2 = h.score(norm.apply(r.secondVector()));
                      if (test.value().passes(r1, r2)) {
                        out.add(r.order(), r1, r2);
                      }
                    }
                    return List.of(out.build()).iterator();
                  })
              .collect();
    } finally {
      gone.destroy();
      shipped.destroy();
      test.destroy();
    }
    Scored inOrder = Scored.inReadOrder(found);
    // The rule reads rewards, not texts or keys: every candidate stands in by its place in the
    // list, so only the pairs picked get a lasting key (the driver keeps nothing per candidate).
    List<Comparison> comparisons = new ArrayList<>(inOrder.size());
    for (int i = 0; i < inOrder.size(); i++) {
      comparisons.add(Comparison.of(new UnlabeledPair(i, null, null, null, null, null)));
    }
    double[] r1 = inOrder.r1();
    double[] r2 = inOrder.r2();
    PairRewards rewards = new PairRewards(r1, r2);
    int poolLeft = (int) (long) left.value();
    PairSelection.Picked picked =
        rule.pick(new CandidateSource.Candidates(comparisons, rewards, rewards, poolLeft), context);
    long[] at = new long[picked.selected().size()];
    for (int i = 0; i < at.length; i++) {
      at[i] = inOrder.orders()[picked.selected().get(i).pair().key()];
    }
    name(at);
    List<SelfLabel> labels = new ArrayList<>(picked.selected().size());
    for (int i = 0; i < at.length; i++) {
      SelfLabel l = picked.selected().get(i);
      labels.add(
          new SelfLabel(
              Comparison.of(named.get(at[i])), l.firstPreferred(), l.s1(), l.s2(), l.loop()));
    }
    return new Round(
        new PairSelection.Picked(labels, picked.rule(), picked.temperature(), picked.status()),
        poolLeft);
  }

  /**
   * The pool pairs a partition sends back: where each was read and its two rewards, as three arrays
   * (24 bytes a pair; an object a pair was three times that on the wire).
   */
  record Scored(long[] orders, double[] r1, double[] r2) implements java.io.Serializable {
    int size() {
      return orders.length;
    }

    /** Every partition's pairs, in the pool's read order. */
    static Scored inReadOrder(List<Scored> parts) {
      Builder joined = new Builder();
      for (Scored p : parts) {
        for (int i = 0; i < p.size(); i++) {
          joined.add(p.orders[i], p.r1[i], p.r2[i]);
        }
      }
      Scored all = joined.build();
      Integer[] index = new Integer[all.size()];
      for (int i = 0; i < index.length; i++) {
        index[i] = i;
      }
      Arrays.sort(index, Comparator.comparingLong(i -> all.orders[i]));
      Builder sorted = new Builder();
      for (int i : index) {
        sorted.add(all.orders[i], all.r1[i], all.r2[i]);
      }
      return sorted.build();
    }

    /** A partition's pairs as they pass. */
    static final class Builder {
      private long[] orders = new long[1024];
      private double[] r1 = new double[1024];
      private double[] r2 = new double[1024];
      private int n;

      void add(long order, double a, double b) {
        if (n == orders.length) {
          orders = Arrays.copyOf(orders, 2 * n);
          r1 = Arrays.copyOf(r1, 2 * n);
          r2 = Arrays.copyOf(r2, 2 * n);
        }
        orders[n] = order;
        r1[n] = a;
        r2[n] = b;
        n++;
      }

      Scored build() {
        return new Scored(Arrays.copyOf(orders, n), Arrays.copyOf(r1, n), Arrays.copyOf(r2, n));
      }
    }
  }

  /**
   * Brings the texts of the pool pairs read at {@code ids} not named yet to the driver, named once
   * for the run and its fold runs (which pick mostly the same pairs).
   */
  private synchronized void name(long[] ids) {
    long[] wanted =
        Arrays.stream(ids).filter(id -> !named.containsKey(id)).distinct().sorted().toArray();
    if (wanted.length == 0) {
      return;
    }
    for (PoolRow r : withIds(wanted, PoolRow::order, r -> r.withVectors(null, null))) {
      named.put(
          r.order(),
          new UnlabeledPair(
              keyOf(r.order()),
              r.id(),
              interner.prompt(r.prompt()),
              interner.text(r.first()),
              interner.text(r.second()),
              null));
    }
  }

  /**
   * The pool pairs whose {@code id} (read order or content id) is one of {@code ids} (sorted,
   * distinct), as {@code part} of each.
   */
  private <T> List<T> withIds(long[] ids, Function<PoolRow, Long> id, Function<PoolRow, T> part) {
    if (ids.length == 0) {
      return List.of();
    }
    Broadcast<long[]> find = context.broadcast(ids);
    try {
      JavaRDD<T> found =
          rows.filter(r -> Arrays.binarySearch(find.value(), id.call(r)) >= 0).map(part);
      if (ids.length <= STREAM_ABOVE) {
        return found.collect();
      }
      // Many pairs (a big loop's picks, with their texts) come a partition at a time: all at once
      // they pass Spark's limit on a job's results (spark.driver.maxResultSize, 1 GB).
      List<T> out = new ArrayList<>(ids.length);
      found.toLocalIterator().forEachRemaining(out::add);
      return out;
    } finally {
      find.destroy();
    }
  }

  /**
   * A resumed run's saved self-labels: their pairs found on the executors by content id (a pair the
   * pool holds twice: its copies in read order, as the saved labels name them) and named again
   * (keys are this process's own), looked up by the keys the files gave them.
   */
  @Override
  public java.util.function.IntFunction<UnlabeledPair> saved(int[] savedKeys, long[] ids) {
    long[] wanted = Arrays.stream(ids).distinct().sorted().toArray();
    Map<Long, java.util.ArrayDeque<Long>> copies = new HashMap<>();
    withIds(wanted, PoolRow::contentId, r -> new long[] {r.contentId(), r.order()}).stream()
        .sorted(Comparator.comparingLong(r -> r[1]))
        .forEach(r -> copies.computeIfAbsent(r[0], k -> new java.util.ArrayDeque<>()).add(r[1]));
    long[] at = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      java.util.ArrayDeque<Long> left = copies.get(ids[i]);
      if (left == null || left.isEmpty()) {
        throw new IllegalArgumentException(
            "a saved self-label names a pair that is not in the pool (content id "
                + org.ser4j.data.ContentId.hex(ids[i])
                + "): was the pool changed since the run began?");
      }
      at[i] = left.poll();
    }
    name(at);
    Map<Integer, UnlabeledPair> bySavedKey = new HashMap<>();
    for (int i = 0; i < savedKeys.length; i++) {
      bySavedKey.put(savedKeys[i], named.get(at[i]));
    }
    return bySavedKey::get;
  }

  /**
   * People's added labels (the last {@code added.pairs()} of the seed) matched to the pool by
   * content id on the executors: the pairs they decide, and which answer they chose.
   */
  @Override
  public SerDataset.AddedLabels added(SerDataset data) {
    int n = data.added().pairs();
    List<PreferencePair> labels =
        data.labeled().subList(data.labeled().size() - n, data.labeled().size());
    Map<Long, String> chosen = new HashMap<>();
    for (PreferencePair p : labels) {
      chosen.put(ContentId.of(p.prompt(), p.chosen(), p.rejected()), p.chosen());
    }
    Map<Integer, Boolean> onPool = new HashMap<>();
    long[] wanted = chosen.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
    // Every copy of a pair the pool holds more than once is decided.
    for (Tuple2<long[], String> t :
        withIds(
            wanted,
            PoolRow::contentId,
            r -> new Tuple2<>(new long[] {r.contentId(), r.order()}, r.first()))) {
      onPool.put(keyOf(t._1()[1]), t._2().equals(chosen.get(t._1()[0])));
    }
    return new SerDataset.AddedLabels(n, onPool);
  }

  /** Where the pairs {@code taken} has were read, sorted. */
  private long[] idsOf(Taken taken) {
    long[] out = taken.keys().mapToLong(k -> orders.get(k)).toArray();
    Arrays.sort(out);
    return out;
  }

  @Override
  public PairFeatures labeled() {
    return seedAndTest.labeled();
  }

  @Override
  public PairFeatures test() {
    return seedAndTest.test();
  }

  @Override
  public EncoderConfig encoder() {
    return seedAndTest.encoder();
  }

  /** The vectors of picked pairs {@code keys}, fetched from the executors by read order. */
  @Override
  public PairFeatures pool(int[] keys) {
    long[] wanted = Arrays.stream(keys).mapToLong(orders::get).distinct().sorted().toArray();
    Map<Long, PoolRow> byId = new HashMap<>();
    withIds(wanted, PoolRow::order, PoolRow::vectorsOnly).forEach(r -> byId.put(r.order(), r));
    float[][] first = new float[keys.length][];
    float[][] second = new float[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      PoolRow r = byId.get(orders.get(keys[i]));
      first[i] = r.firstVector();
      second[i] = r.secondVector();
    }
    return new PairFeatures(first, second);
  }

  /** Picked pairs' rewards (a reviewer's second opinion): their vectors fetched, scored here. */
  @Override
  public PairRewards poolRewards(HeadModel model, List<UnlabeledPair> pairs) {
    PairFeatures f = pool(pairs.stream().mapToInt(UnlabeledPair::key).toArray());
    return new PairRewards(model.score(f.chosen()), model.score(f.rejected()));
  }

  void release() {
    rows.unpersist(false);
    seedAndTest.release();
  }
}
