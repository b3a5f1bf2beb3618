package org.ser4j.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
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
import org.ser4j.model.learn.PackedSelfLabels;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.ser.select.CandidateSource;
import org.ser4j.ser.select.PairFilter;
import org.ser4j.ser.select.PairSelection;
import org.ser4j.ser.select.Pool;
import org.ser4j.ser.select.Taken;
import scala.Tuple2;

/**
 * A pool that lives on the executors, read ({@link PoolReader}), encoded and persisted there. Each
 * loop the head is broadcast with the ids of the pairs taken so far and the rule. A rule that
 * decides each pair alone ({@link PairSelection#each}, the default rules) picks on the executors,
 * and only the picks' read order and numbers come back; otherwise the executors send the pairs that
 * pass the rule's {@link PairSelection#necessary} test, and the core's rule picks among them here.
 * Either way the picks are put in the pool's read order, so they are those of the same rule in one
 * process. The driver holds picks by key alone: their texts stay on the executors, and come a part
 * at a time when selected.jsonl is written ({@link #withTexts}); length balance and the diagnostics
 * ask the executors ({@link #chosenLonger}); the runs keep them as columns ({@link
 * PackedSelfLabels}). The driver holds the seed's and test pairs' vectors, the picks' keys and
 * labels, and their vectors while a fit runs here.
 */
final class ExecutorPool implements HeadFeatures, Pool {
  private final JavaSparkContext context;
  private final ReadOrderKeys numbered;
  private final JavaRDD<PoolRow> rows; // numbered in read order: a pair's order is its key
  private final long size;
  private final SparkPool seedAndTest;
  private PairSelection rule;
  // Fetches of more pairs than this stream partition by partition.
  private static final int STREAM_ABOVE = 10_000;
  // Pairs with their texts per part when selected.jsonl is written: what the driver holds at once.
  private static final int TEXTS_PER_PART = 5_000;
  private final int driverFitMax;
  private final java.io.PrintWriter log;

  /**
   * The key of the pool pair read at {@code order}: the pool is numbered in read order ({@link
   * ReadOrderKeys}), so the two are one number, and a pair's key is the one one process gives it.
   */
  private static int keyOf(long order) {
    return Math.toIntExact(order);
  }

  private static long orderOf(int key) {
    return key;
  }

  /** The pool pair read at {@code order} as the driver holds a pick: its key, no texts. */
  private static Comparison keyOnly(long order) {
    return pairOfKey(keyOf(order));
  }

  private static Comparison pairOfKey(int key) {
    return Comparison.of(new UnlabeledPair(key, null, null, null, null, null));
  }

  /** The runs' self-labels as columns: millions of picks, a run's and each fold run's. */
  @Override
  public List<SelfLabel> newSelfLabels() {
    return new PackedSelfLabels(ExecutorPool::pairOfKey);
  }

  ExecutorPool(
      JavaSparkContext context,
      ReadOrderKeys rows,
      long size,
      SparkPool seedAndTest,
      int driverFitMax,
      java.io.PrintWriter log) {
    this.log = log;
    this.context = context;
    this.numbered = rows;
    this.rows = rows.keyed();
    this.size = size;
    this.seedAndTest = seedAndTest;
    this.driverFitMax = driverFitMax;
  }

  /**
   * A training set with more than {@code driverFitMax} self-labels is fit where the pool is: its
   * pairs stay on the executors ({@link ExecutorRows}, opened by {@link #rowsElsewhere}); a smaller
   * one is fetched and fit here.
   */
  @Override
  public boolean fitsElsewhere(org.ser4j.model.learn.TrainingSet set) {
    return set.selfLabeled().size() > driverFitMax;
  }

  @Override
  public org.ser4j.model.head.FullBatchTrainer.Rows rowsElsewhere(
      org.ser4j.model.learn.TrainingSet set) {
    List<SelfLabel> self = set.selfLabeled();
    long[] ids = new long[self.size()];
    boolean[] first = new boolean[self.size()];
    for (int i = 0; i < ids.length; i++) {
      SelfLabel l = self.get(i);
      ids[i] = orderOf(l.chosenAnswer().pair().key());
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
    if (!(model instanceof HeadModel head)) {
      throw new IllegalArgumentException(
          "the pool on the executors is scored by a linear or MLP head");
    }
    PairSelection.Each each = rule.each(context);
    if (each != null) { // picked where the pool is: only the picks come back
      Scoring picks = score(head, taken, each.scores());
      Scored p = picks.found();
      List<SelfLabel> labels = newSelfLabels();
      for (int i = 0; i < p.size(); i++) {
        labels.add(
            SelfLabel.of(keyOnly(p.orders()[i]), p.first()[i], p.second()[i], context.loop()));
      }
      return new Round(each.report().apply(labels), picks.left());
    }
    PairFilter passes = rule.necessary(context); // the context computes T once for both
    if (passes == null) {
      throw new IllegalArgumentException(
          "this selection reads the whole pool's rewards (--selection-scale pool): not with the pool on the executors");
    }
    Scoring scored =
        score(head, taken, (r1, r2) -> passes.passes(r1, r2) ? new double[] {r1, r2} : null);
    Scored inOrder = scored.found();
    // The rule reads rewards, not texts or keys: every candidate stands in by its place in the
    // list, so only the pairs picked get a lasting key (the driver keeps nothing per candidate).
    List<Comparison> comparisons = new ArrayList<>(inOrder.size());
    for (int i = 0; i < inOrder.size(); i++) {
      comparisons.add(Comparison.of(new UnlabeledPair(i, null, null, null, null, null)));
    }
    PairRewards rewards = new PairRewards(inOrder.first(), inOrder.second());
    int poolLeft = (int) scored.left();
    PairSelection.Picked picked =
        rule.pick(new CandidateSource.Candidates(comparisons, rewards, rewards, poolLeft), context);
    List<SelfLabel> labels = newSelfLabels();
    for (SelfLabel l : picked.selected()) {
      labels.add(
          new SelfLabel(
              keyOnly(inOrder.orders()[l.pair().key()]),
              l.firstPreferred(),
              l.s1(),
              l.s2(),
              l.loop()));
    }
    return new Round(
        new PairSelection.Picked(labels, picked.rule(), picked.temperature(), picked.status()),
        poolLeft);
  }

  /** The pairs not taken that {@code keep} gives numbers to, in read order, and the pairs left. */
  private record Scoring(Scored found, long left) {}

  /**
   * Scores every pool pair not {@code taken} with {@code head} on the executors; those {@code keep}
   * gives numbers to come back with them, put in read order.
   */
  private Scoring score(HeadModel head, Taken taken, PairSelection.PairScores keep) {
    LongAccumulator left = this.context.sc().longAccumulator("pool pairs left");
    Broadcast<long[]> gone = this.context.broadcast(idsOf(taken));
    Broadcast<SparkPool.ShippedHead> shipped =
        this.context.broadcast(new SparkPool.ShippedHead(head.head().tensors(), head.normalizer()));
    Broadcast<PairSelection.PairScores> rule = this.context.broadcast(keep);
    List<Scored> found;
    try {
      found =
          rows.mapPartitions(
                  it -> {
                    RewardHead h = Heads.fromTensors(shipped.value().tensors());
                    FeatureNormalizer norm = shipped.value().normalizer();
                    PairSelection.PairScores decide = rule.value();
                    Scored.Builder out = new Scored.Builder();
                    while (it.hasNext()) {
                      PoolRow r = it.next();
                      if (Arrays.binarySearch(gone.value(), r.order()) >= 0) {
                        continue;
                      }
                      left.add(1);
                      double r1 = h.score(norm.apply(r.firstVector()));
                      double r2 = h.score(norm.apply(r.secondVector()));
                      double[] numbers = decide.of(r1, r2);
                      if (numbers != null) {
                        out.add(r.order(), numbers[0], numbers[1]);
                      }
                    }
                    return List.of(out.build()).iterator();
                  })
              .collect();
    } finally {
      gone.destroy();
      shipped.destroy();
      rule.destroy();
    }
    return new Scoring(Scored.inReadOrder(found), left.value());
  }

  /**
   * The pool pairs a partition sends back: where each was read and its two numbers (rewards, or a
   * rule's scores), as three arrays (24 bytes a pair; an object a pair was three times that).
   */
  record Scored(long[] orders, double[] first, double[] second) implements java.io.Serializable {
    int size() {
      return orders.length;
    }

    /** Every partition's pairs, in the pool's read order. */
    static Scored inReadOrder(List<Scored> parts) {
      Builder joined = new Builder();
      for (Scored p : parts) {
        for (int i = 0; i < p.size(); i++) {
          joined.add(p.orders[i], p.first[i], p.second[i]);
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
        sorted.add(all.orders[i], all.first[i], all.second[i]);
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
   * Hands {@code each} the {@code labels} with their pairs' texts, in read order (a loop's picks'
   * order), fetched from the executors sorted, at most {@value #TEXTS_PER_PART} pairs at a time.
   */
  @Override
  public void withTexts(List<SelfLabel> labels, LabelSink each) throws IOException {
    long[] at = new long[labels.size()];
    Integer[] index = new Integer[labels.size()];
    for (int i = 0; i < at.length; i++) {
      at[i] = orderOf(labels.get(i).pair().key());
      index[i] = i;
    }
    Arrays.sort(index, Comparator.comparingLong(i -> at[i]));
    long[] wanted = Arrays.stream(at).distinct().sorted().toArray();
    if (wanted.length == 0) {
      return;
    }
    Broadcast<long[]> find = context.broadcast(wanted);
    try {
      JavaPairRDD<Long, PoolRow> found =
          rows.filter(r -> Arrays.binarySearch(find.value(), r.order()) >= 0)
              .mapToPair(r -> new Tuple2<>(r.order(), r.withVectors(null, null)));
      java.util.Iterator<Tuple2<Long, PoolRow>> texts =
          wanted.length <= TEXTS_PER_PART
              ? found.collect().stream().sorted(Comparator.comparingLong(Tuple2::_1)).iterator()
              : found
                  .sortByKey(true, (wanted.length + TEXTS_PER_PART - 1) / TEXTS_PER_PART)
                  .toLocalIterator();
      PoolRow row = null;
      for (int i : index) {
        while (row == null || row.order() != at[i]) {
          row = texts.next()._2();
        }
        SelfLabel l = labels.get(i);
        UnlabeledPair p =
            new UnlabeledPair(
                l.pair().key(), row.id(), row.prompt(), row.first(), row.second(), null);
        each.accept(new SelfLabel(Comparison.of(p), l.firstPreferred(), l.s1(), l.s2(), l.loop()));
      }
    } finally {
      find.destroy();
    }
  }

  /** Whether each label's chosen answer is the longer one, read where the texts are. */
  @Override
  public boolean[] chosenLonger(List<SelfLabel> labels) {
    long[] wanted =
        labels.stream().mapToLong(l -> orderOf(l.pair().key())).distinct().sorted().toArray();
    Map<Long, long[]> lengths = new HashMap<>();
    withIds(
            wanted,
            PoolRow::order,
            r -> new long[] {r.order(), r.first().length(), r.second().length()})
        .forEach(r -> lengths.put(r[0], r));
    boolean[] out = new boolean[labels.size()];
    for (int i = 0; i < out.length; i++) {
      SelfLabel l = labels.get(i);
      long[] r = lengths.get(orderOf(l.pair().key()));
      out[i] = l.firstPreferred() ? r[1] > r[2] : r[2] > r[1];
    }
    return out;
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
   * pool holds twice: its copies in read order, as the saved labels name them), keyed again (keys
   * are this process's own), looked up by the keys the files gave them.
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
    Map<Integer, UnlabeledPair> bySavedKey = new HashMap<>();
    for (int i = 0; i < savedKeys.length; i++) {
      bySavedKey.put(savedKeys[i], keyOnly(at[i]).first().pair());
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
    long[] out = taken.keys().mapToLong(ExecutorPool::orderOf).toArray();
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
    long[] wanted =
        Arrays.stream(keys).mapToLong(ExecutorPool::orderOf).distinct().sorted().toArray();
    Map<Long, PoolRow> byId = new HashMap<>();
    withIds(wanted, PoolRow::order, PoolRow::vectorsOnly).forEach(r -> byId.put(r.order(), r));
    float[][] first = new float[keys.length][];
    float[][] second = new float[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      PoolRow r = byId.get(orderOf(keys[i]));
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
    numbered.release();
    seedAndTest.release();
  }
}
