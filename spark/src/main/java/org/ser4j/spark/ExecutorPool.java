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
 * loop the head is broadcast with the pairs taken so far (as bits) and the rule. A rule that
 * decides each pair alone ({@link PairSelection#each}, the default rules) picks on the executors,
 * and only the picks' keys and numbers come back; on the pool's reward scale ({@link
 * PairSelection#eachOnScale}), after one aggregation of the rewards' mean and std. A quota ({@link
 * PairSelection#ranked}, a precision target) ranks the pairs that pass on the executors, counts
 * their confidences here as they stream in rank order, then picks there. A rule with none of these
 * forms has the executors send the pairs that pass its {@link PairSelection#necessary} test, and
 * picks among them here. Either way the picks come sorted by key on the executors, a range of keys
 * at a time ({@link KeyRanges}), so the picks are those of the same rule in one process, in the
 * same order. The driver holds picks by key alone, in a file mapped off its heap ({@link
 * #newSelfLabels}): their texts stay on the executors, and come a part at a time when
 * selected.jsonl is written ({@link #withTexts}); length balance and the diagnostics ask the
 * executors ({@link #chosenLonger}). The driver's heap holds the seed's and test pairs' vectors,
 * bits over the pool, and the picks' vectors only while a fit within {@code driverFitMax} runs
 * here. With West-of-N the candidates are the pool pairs not taken and the open prompts' built
 * pairs ({@link Candidate}, found part by part: {@link ExecutorWestOfN}); a built pick is held as
 * its two pairs' keys, and whatever reads its texts or vectors reads both pairs.
 */
final class ExecutorPool implements HeadFeatures, Pool {
  private final JavaSparkContext context;
  private final ReadOrderKeys numbered;
  private final JavaRDD<PoolRow> rows; // numbered in read order: a pair's order is its key
  // The same pairs with their texts, not persisted: read again (from the shuffle's files that
  // placed the pool) by the jobs that need texts, selected.jsonl's and added labels' matching.
  private final JavaRDD<PoolRow> texts;
  private final long size;
  private final SparkPool seedAndTest;
  private PairSelection rule;
  // Fetches of more pairs than this stream partition by partition.
  private static final int STREAM_ABOVE = 10_000;
  // Pool keys in a range of a loop's scored pairs, which come a range at a time (one job each):
  // a range brings the driver at most this many pairs at once.
  private static final long KEYS_PER_RANGE = 100_000;
  // Pairs with their texts per part when selected.jsonl is written: what the driver holds at once.
  private static final int TEXTS_PER_PART = 5_000;
  private final int driverFitMax;
  private final java.io.PrintWriter log;
  private final java.nio.file.Path spill; // the run's self-labels, off the heap
  // West-of-N: built pairs are candidates too, and the pool is placed by prompt (ExecutorWestOfN).
  private final boolean westOfN;

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
    return Comparison.of(Candidate.pairOfKey(key));
  }

  /**
   * The runs' self-labels as rows, past the first 65,536 in a file mapped off the heap (in {@link
   * #spill}): millions of picks, a run's and a loop's, take no heap on the driver.
   */
  @Override
  public List<SelfLabel> newSelfLabels() {
    return new PackedSelfLabels(ExecutorPool::pairOfKey, spill);
  }

  /** Where Spark spills on this machine: the first of spark.local.dir, else java.io.tmpdir. */
  private static java.nio.file.Path spillDirectory(JavaSparkContext context) {
    String dirs = context.getConf().get("spark.local.dir", System.getProperty("java.io.tmpdir"));
    return java.nio.file.Path.of(dirs.split(",")[0].trim());
  }

  ExecutorPool(
      JavaSparkContext context,
      ReadOrderKeys rows,
      JavaRDD<PoolRow> texts,
      long size,
      SparkPool seedAndTest,
      int driverFitMax,
      boolean westOfN,
      java.io.PrintWriter log) {
    this.westOfN = westOfN;
    this.log = log;
    this.context = context;
    this.numbered = rows;
    this.rows = rows.keyed();
    this.texts = texts;
    this.size = size;
    this.seedAndTest = seedAndTest;
    this.driverFitMax = driverFitMax;
    this.spill = spillDirectory(context);
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
    ExecutorRows.Picks.Builder picks = new ExecutorRows.Picks.Builder();
    for (SelfLabel l : self) {
      if (l.pair().built()) {
        picks.addBuilt(
            l.chosenAnswer().pair().key(),
            l.chosenAnswer().isFirst(),
            l.rejectedAnswer().pair().key(),
            l.rejectedAnswer().isFirst());
      } else {
        picks.add(orderOf(l.chosenAnswer().pair().key()), l.chosenAnswer().isFirst());
      }
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
        picks.build(),
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

  /** The pool's pairs less those taken: the pool's keys are 0 to size - 1. */
  @Override
  public long left(Taken taken) {
    return size - taken.count();
  }

  /**
   * What a run or a fold run has taken, as bits over the pool in a file mapped off the heap (in
   * {@link #spill}): the run's and the five fold runs' bits were 7.5 MB of the driver's heap at 10M
   * pairs.
   */
  @Override
  public Taken newTaken(java.util.BitSet excluded) {
    return Taken.excluding(
        excluded,
        org.ser4j.ser.select.PoolBits.offHeap(spill, size),
        org.ser4j.ser.select.PoolBits.offHeap(spill, size));
  }

  @Override
  public Round pick(TrainedModel model, Taken taken, PairSelection.Context context)
      throws IOException {
    if (!(model instanceof HeadModel head)) {
      throw new IllegalArgumentException(
          "the pool on the executors is scored by a linear or MLP head");
    }
    PairSelection.Each each = rule.each(context);
    if (each == null && rule.readsPoolScale()) { // the scale by one aggregation, then as above
      org.apache.spark.util.StatCounter all = rewards(head, taken);
      each =
          rule.eachOnScale(
              context,
              all.max() == all.min() ? all.min() : all.mean(),
              all.max() == all.min() ? 0 : all.popStdev());
    }
    if (each != null) { // picked where the pool is: only the picks come back, a range at a time
      List<SelfLabel> labels = newSelfLabels();
      PairSelection.PairScores decide = each.scores();
      score(
          head,
          taken,
          (order, r1, r2) -> decide.of(r1, r2),
          (c, s1, s2) -> labels.add(SelfLabel.of(c.comparison(), s1, s2, context.loop())));
      return new Round(each.report().apply(labels), left(taken));
    }
    PairSelection.Ranked ranked = rule.ranked(context);
    if (ranked != null) { // a quota: ranked there, counted here, then picked there
      List<SelfLabel> labels = newSelfLabels();
      RankedPair last = lastKept(head, taken, ranked);
      if (last != null) {
        PairSelection.PairRank rank = ranked.confidence();
        PairSelection.PairScores numbers = ranked.numbers();
        score(
            head,
            taken,
            (order, r1, r2) ->
                new RankedPair(rank.of(r1, r2), order).within(last) ? numbers.of(r1, r2) : null,
            (c, s1, s2) -> labels.add(SelfLabel.of(c.comparison(), s1, s2, context.loop())));
      }
      return new Round(ranked.report().apply(labels), left(taken));
    }
    PairFilter passes = rule.necessary(context); // the context computes T once for both
    if (passes == null) {
      throw new IllegalArgumentException(
          "this selection reads every candidate's reward at once: not with the pool on the executors");
    }
    Scored.Builder found = new Scored.Builder();
    Map<Long, Candidate> builtAt = new HashMap<>(); // the built candidates that pass, by place
    score(
        head,
        taken,
        (order, r1, r2) -> passes.passes(r1, r2) ? new double[] {r1, r2} : null,
        (c, r1, r2) -> {
          found.add(c.place(), r1, r2);
          if (c.built()) {
            builtAt.put(c.place(), c);
          }
        });
    Scored inOrder = found.build();
    // The rule reads rewards, not texts or keys: every candidate stands in by its place in the
    // list, so only the pairs picked get a lasting key (the driver keeps nothing per candidate).
    List<Comparison> comparisons = new ArrayList<>(inOrder.size());
    for (int i = 0; i < inOrder.size(); i++) {
      comparisons.add(Comparison.of(new UnlabeledPair(i, null, null, null, null, null)));
    }
    PairRewards rewards = new PairRewards(inOrder.first(), inOrder.second());
    // The pool's scale is read from its own pairs alone (built pairs repeat answers).
    PairRewards poolPairs =
        builtAt.isEmpty()
            ? rewards
            : rewards.select(
                java.util.stream.IntStream.range(0, inOrder.size())
                    .filter(i -> inOrder.orders()[i] < size)
                    .toArray());
    int poolLeft = (int) left(taken);
    PairSelection.Picked picked =
        rule.pick(
            new CandidateSource.Candidates(comparisons, rewards, poolPairs, poolLeft), context);
    List<SelfLabel> labels = newSelfLabels();
    for (SelfLabel l : picked.selected()) {
      long place = inOrder.orders()[l.pair().key()];
      labels.add(
          new SelfLabel(
              place < size ? keyOnly(place) : builtAt.get(place).comparison(),
              l.firstPreferred(),
              l.s1(),
              l.s2(),
              l.loop()));
    }
    return new Round(
        new PairSelection.Picked(labels, picked.rule(), picked.temperature(), picked.status()),
        poolLeft);
  }

  /**
   * A pair's place in a quota's ranking: higher confidence first, then read order (candidate order,
   * as one process breaks ties); NaN confidence is a pair the rule does not keep.
   */
  record RankedPair(double confidence, long order)
      implements Comparable<RankedPair>, java.io.Serializable {
    @Override
    public int compareTo(RankedPair o) {
      int c = Double.compare(o.confidence, confidence);
      return c != 0 ? c : Long.compare(order, o.order);
    }

    /** Whether this pair is kept and ranks at or before {@code last}. */
    boolean within(RankedPair last) {
      return !Double.isNaN(confidence) && compareTo(last) <= 0;
    }
  }

  /**
   * The last pair {@code ranked}'s quota keeps, or null where it keeps none: the pairs that pass
   * are ranked on the executors (a sort by confidence, then read order) and come here a partition
   * at a time, where only their confidences are counted.
   */
  private RankedPair lastKept(HeadModel head, Taken taken, PairSelection.Ranked ranked) {
    PairSelection.PairRank rank = ranked.confidence();
    try (Scoring scoring = new Scoring(head, taken)) {
      JavaRDD<RankedPair> passing =
          scoring
              .candidates()
              .map(
                  c -> {
                    double confidence = rank.of(c.r1(), c.r2());
                    return Double.isNaN(confidence) ? null : new RankedPair(confidence, c.place());
                  })
              .filter(p -> p != null)
              .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
      org.ser4j.ser.select.PairConfidence.Quota quota = ranked.quota().get();
      RankedPair last = null;
      try (PartsInOrder<RankedPair> inRank =
          PartsInOrder.of(passing.sortBy(p -> p, true, rows.getNumPartitions()))) {
        while (inRank.hasNext()) {
          RankedPair p = inRank.next();
          if (quota.offer(p.confidence())) {
            last = p;
          }
        }
      } finally {
        passing.unpersist(false);
      }
      return last;
    }
  }

  /** {@code rows} not {@code taken}, scored and mapped by {@code map} (nulls dropped), lazily. */
  private static <T> java.util.Iterator<T> scoredRows(
      java.util.Iterator<PoolRow> rows,
      RewardHead head,
      FeatureNormalizer norm,
      java.util.BitSet taken,
      PairMap<T> map) {
    return new java.util.Iterator<>() {
      private T next = advance();

      private T advance() {
        while (rows.hasNext()) {
          PoolRow r = rows.next();
          if (!taken.get(Math.toIntExact(r.order()))) {
            T t =
                map.of(
                    r.order(),
                    head.score(norm.apply(r.firstVector())),
                    head.score(norm.apply(r.secondVector())));
            if (t != null) {
              return t;
            }
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public T next() {
        if (next == null) {
          throw new java.util.NoSuchElementException();
        }
        T t = next;
        next = advance();
        return t;
      }
    };
  }

  /** What {@link Scoring#map} makes of a pool pair not taken, by its read order and rewards. */
  @FunctionalInterface
  private interface PairMap<T> extends java.io.Serializable {
    T of(long order, double r1, double r2); // null: drop the pair
  }

  /** What {@link #score} keeps of a pair: its two numbers, or null. */
  @FunctionalInterface
  private interface KeyedScores extends PairMap<double[]> {}

  /**
   * The pool pairs not taken, scored on the executors by a head: the head and the bits of the pairs
   * taken are broadcast while it is open.
   */
  private final class Scoring implements AutoCloseable {
    private final Broadcast<java.util.BitSet> gone;
    private final Broadcast<java.util.BitSet> builtFrom; // null without West-of-N
    private final Broadcast<SparkPool.ShippedHead> shipped;

    Scoring(HeadModel head, Taken taken) {
      gone = context.broadcast(taken.bits());
      builtFrom = westOfN ? context.broadcast(taken.builtFromBits()) : null;
      shipped =
          context.broadcast(new SparkPool.ShippedHead(head.head().tensors(), head.normalizer()));
    }

    /**
     * The loop's candidates ({@link Candidate}), lazily: the pool pairs not taken, and with
     * West-of-N each open prompt's best answer against its worst, found part by part.
     */
    JavaRDD<Candidate> candidates() {
      if (!westOfN) {
        return map(Candidate::plain);
      }
      Broadcast<java.util.BitSet> g = gone;
      Broadcast<java.util.BitSet> b = builtFrom;
      Broadcast<SparkPool.ShippedHead> sh = shipped;
      long n = size;
      return rows.mapPartitions(
          it ->
              ExecutorWestOfN.candidates(
                  it,
                  Heads.fromTensors(sh.value().tensors()),
                  sh.value().normalizer(),
                  g.value(),
                  b.value(),
                  n));
    }

    /** Each pair not taken as {@code map} makes it of its read order and rewards, lazily. */
    <T> JavaRDD<T> map(PairMap<T> map) {
      Broadcast<java.util.BitSet> g = gone;
      Broadcast<SparkPool.ShippedHead> sh = shipped;
      return rows.mapPartitions(
          it ->
              scoredRows(
                  it,
                  Heads.fromTensors(sh.value().tensors()),
                  sh.value().normalizer(),
                  g.value(),
                  map));
    }

    @Override
    public void close() {
      gone.destroy();
      if (builtFrom != null) {
        builtFrom.destroy();
      }
      shipped.destroy();
    }
  }

  /** Where {@link #score} hands each candidate it keeps, with its two numbers. */
  @FunctionalInterface
  private interface ScoredSink {
    void accept(Candidate c, double first, double second);
  }

  /** A candidate kept by {@link #score}, with its two numbers. */
  private record Kept(Candidate candidate, double first, double second)
      implements java.io.Serializable {}

  /**
   * Scores every pool pair not {@code taken} with {@code head} on the executors, and hands {@code
   * sink} those {@code keep} gives numbers to, in read order: sorted there by key range ({@link
   * KeyRanges}), and brought a range at a time, so the driver never holds them all at once.
   */
  private void score(HeadModel head, Taken taken, KeyedScores keep, ScoredSink sink) {
    long places = westOfN ? 2 * size : size; // built candidates are placed after the pool's pairs
    try (Scoring scoring = new Scoring(head, taken);
        PartsInOrder<Tuple2<Long, Kept>> inOrder =
            PartsInOrder.of(
                scoring
                    .candidates()
                    .map(
                        c -> {
                          double[] numbers = keep.of(c.place(), c.r1(), c.r2());
                          return numbers == null
                              ? null
                              : new Tuple2<>(c.place(), new Kept(c, numbers[0], numbers[1]));
                        })
                    .filter(t -> t != null)
                    .mapToPair(t -> t)
                    .repartitionAndSortWithinPartitions(
                        new KeyRanges(
                            (int) ((places + KEYS_PER_RANGE - 1) / KEYS_PER_RANGE), places)))) {
      inOrder.forEachRemaining(
          t -> sink.accept(t._2().candidate(), t._2().first(), t._2().second()));
    }
  }

  /**
   * The count, mean, population std, least and greatest of every reward {@code head} gives the
   * answers of the pool pairs not {@code taken}, summed where they are (Spark's {@link
   * org.apache.spark.util.StatCounter}): the pool's reward scale, in one pass.
   */
  private org.apache.spark.util.StatCounter rewards(HeadModel head, Taken taken) {
    try (Scoring scoring = new Scoring(head, taken)) {
      return scoring
          .map((order, r1, r2) -> new double[] {r1, r2})
          .treeAggregate(
              new org.apache.spark.util.StatCounter(),
              (s, r) -> s.merge(r[0]).merge(r[1]),
              org.apache.spark.util.StatCounter::merge);
    }
  }

  /**
   * The pairs a quota rule picks among: where each was read and its rewards, as three arrays (24
   * bytes a pair; an object a pair was three times that). Built on the driver as they arrive.
   */
  record Scored(long[] orders, double[] first, double[] second) {
    int size() {
      return orders.length;
    }

    /** The pairs as they pass. */
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
   * Hands {@code each} the {@code labels} with their pairs' texts, in key order (a loop's picks'
   * own order): the pairs are sorted by key on the executors and brought a part at a time; labels
   * not in key order are visited through a sorted index, 8 bytes a label.
   */
  @Override
  public void withTexts(List<SelfLabel> labels, LabelSink each) throws IOException {
    KeyOrder order = KeyOrder.of(labels);
    if (order.count() > 0) {
      plainWithTexts(labels, order, each);
    }
    builtWithTexts(labels, each);
  }

  /** The labels of pool pairs' own answers, in key order, each with its pair's texts. */
  private void plainWithTexts(List<SelfLabel> labels, KeyOrder order, LabelSink each)
      throws IOException {
    Broadcast<java.util.BitSet> find = context.broadcast(order.keys());
    try (PartsInOrder<Tuple2<Long, PoolRow>> inOrder =
        PartsInOrder.of(
            texts
                .filter(r -> find.value().get(Math.toIntExact(r.order())))
                .mapToPair(r -> new Tuple2<>(r.order(), r))
                .repartitionAndSortWithinPartitions(
                    new KeyRanges(
                        (order.keys().cardinality() + TEXTS_PER_PART - 1) / TEXTS_PER_PART,
                        size)))) {
      PoolRow row = null;
      for (int n = 0; n < order.count(); n++) {
        int i = order.place(n);
        SelfLabel l = labels.get(i);
        while (row == null || row.order() != orderOf(l.pair().key())) {
          row = inOrder.next()._2();
        }
        each.accept(
            new SelfLabel(
                Comparison.of(pairOf(row)), l.firstPreferred(), l.s1(), l.s2(), l.loop()));
      }
    } finally {
      find.destroy();
    }
  }

  /**
   * The built (West-of-N) labels among {@code labels}, in their order, each with its two pairs'
   * texts: fetched {@link #TEXTS_PER_PART} labels at a time, a job each (the way the driver writes
   * selected.jsonl itself; the executors write it as parts, {@link SelectedParts}).
   */
  private void builtWithTexts(List<SelfLabel> labels, LabelSink each) throws IOException {
    List<SelfLabel> chunk = new ArrayList<>();
    for (int i = 0; i <= labels.size(); i++) {
      if (i < labels.size() && labels.get(i).pair().built()) {
        chunk.add(labels.get(i));
      }
      if (chunk.size() == TEXTS_PER_PART || (i == labels.size() && !chunk.isEmpty())) {
        long[] wanted = pairOrders(chunk.stream());
        Map<Long, PoolRow> byOrder = new HashMap<>();
        withIds(texts, wanted, PoolRow::order, r -> r).forEach(r -> byOrder.put(r.order(), r));
        for (SelfLabel l : chunk) {
          each.accept(textsOf(l, byOrder::get));
        }
        chunk.clear();
      }
    }
  }

  /** Built label {@code l} with its two pairs' texts, the rows {@code rows} gives by order. */
  static SelfLabel textsOf(SelfLabel l, java.util.function.LongFunction<PoolRow> rows) {
    Comparison c = l.pair();
    Comparison whole =
        new Comparison(
            new Comparison.Answer(pairOf(rows.apply(orderOf(c.key()))), c.first().isFirst()),
            new Comparison.Answer(
                pairOf(rows.apply(orderOf(c.second().pair().key()))), c.second().isFirst()));
    return new SelfLabel(whole, l.firstPreferred(), l.s1(), l.s2(), l.loop());
  }

  /** The read orders of the pairs {@code labels} take answers from (two for a built label). */
  private static long[] pairOrders(java.util.stream.Stream<SelfLabel> labels) {
    return labels
        .flatMapToLong(
            l ->
                java.util.stream.LongStream.of(
                    orderOf(l.pair().first().pair().key()),
                    orderOf(l.pair().second().pair().key())))
        .distinct()
        .sorted()
        .toArray();
  }

  /** The pool pair of {@code row} with its texts, as one process holds it. */
  static UnlabeledPair pairOf(PoolRow row) {
    return new UnlabeledPair(
        keyOf(row.order()), row.id(), row.prompt(), row.first(), row.second(), null);
  }

  /**
   * Writes {@code labels} where the texts are: as part files of a directory {@code file}, one a
   * range of keys, written by the executors ({@link SelectedParts}); where they cannot reach {@code
   * file}'s directory, one file written here, the texts brought a part at a time.
   */
  @Override
  public void writeWithTexts(java.nio.file.Path file, List<SelfLabel> labels, LineFormat format)
      throws IOException {
    if (!labels.isEmpty()) {
      List<String> missing = SelectedParts.write(context, texts, size, file, labels, format, spill);
      if (missing.isEmpty()) {
        return;
      }
      log.printf(
          "spark: the executors' parts of %s are not all seen here (%s%s): can they reach %s? The"
              + " driver writes it%n",
          file.getFileName(),
          String.join(", ", missing.subList(0, Math.min(3, missing.size()))),
          missing.size() > 3 ? " and " + (missing.size() - 3) + " more" : "",
          file.toAbsolutePath().getParent());
      log.flush();
    }
    Pool.super.writeWithTexts(file, labels, format);
  }

  /**
   * The labels of pool pairs' own answers ({@code count} of them; built ones are not counted):
   * their pairs' keys as bits over the pool, and their places sorted by key ({@code byKey}; null
   * where the labels are in key order already, built ones last).
   */
  record KeyOrder(java.util.BitSet keys, long[] byKey, int count) {
    static KeyOrder of(List<SelfLabel> labels) {
      java.util.BitSet keys = new java.util.BitSet();
      boolean inKeyOrder = true;
      int last = -1;
      int count = 0;
      for (SelfLabel l : labels) {
        if (l.pair().built()) {
          last = Integer.MAX_VALUE; // a plain label after a built one: not in key order
          continue;
        }
        int key = l.pair().key();
        keys.set(key);
        inKeyOrder &= key >= last;
        last = key;
        count++;
      }
      return new KeyOrder(keys, inKeyOrder ? null : keyThenIndex(labels, count), count);
    }

    /** The label at place {@code n} in key order. */
    int place(int n) {
      return byKey == null ? n : (int) byKey[n];
    }
  }

  /**
   * The places of the {@code count} plain labels sorted by their pairs' keys: key and place packed
   * in a long, sorted.
   */
  private static long[] keyThenIndex(List<SelfLabel> labels, int count) {
    long[] out = new long[count];
    int n = 0;
    for (int i = 0; i < labels.size(); i++) {
      if (!labels.get(i).pair().built()) {
        out[n++] = ((long) labels.get(i).pair().key() << 32) | i;
      }
    }
    Arrays.sort(out);
    for (int i = 0; i < out.length; i++) {
      out[i] &= 0xFFFF_FFFFL;
    }
    return out;
  }

  /**
   * Whether each label's chosen answer is the longer one, read where the texts are: the executors
   * mark, among the labels' pairs, those whose first answer is the longer and those whose second
   * is, as bits (an eighth of a byte a pool pair).
   */
  @Override
  public boolean[] chosenLonger(List<SelfLabel> labels) {
    java.util.BitSet wanted = new java.util.BitSet();
    labels.forEach(l -> wanted.set(l.pair().key()));
    if (wanted.isEmpty()) {
      return new boolean[0];
    }
    Map<Long, int[]> builtLengths = builtLengths(labels);
    Broadcast<java.util.BitSet> find = context.broadcast(wanted);
    java.util.BitSet[] longer;
    try {
      longer =
          rows.filter(r -> find.value().get(Math.toIntExact(r.order())))
              .treeAggregate(
                  new java.util.BitSet[] {new java.util.BitSet(), new java.util.BitSet()},
                  (b, r) -> {
                    int k = Math.toIntExact(r.order());
                    b[0].set(k, r.firstLength() > r.secondLength());
                    b[1].set(k, r.secondLength() > r.firstLength());
                    return b;
                  },
                  (a, b) -> {
                    a[0].or(b[0]);
                    a[1].or(b[1]);
                    return a;
                  });
    } finally {
      find.destroy();
    }
    boolean[] out = new boolean[labels.size()];
    for (int i = 0; i < out.length; i++) {
      SelfLabel l = labels.get(i);
      out[i] =
          l.pair().built()
              ? length(builtLengths, l.chosenAnswer()) > length(builtLengths, l.rejectedAnswer())
              : longer[l.firstPreferred() ? 0 : 1].get(l.pair().key());
    }
    return out;
  }

  /**
   * The answers' lengths of the pool pairs the built labels among {@code labels} take answers from,
   * by read order: a built label compares answers of two pairs, which the bits above do not.
   */
  private Map<Long, int[]> builtLengths(List<SelfLabel> labels) {
    long[] wanted = pairOrders(labels.stream().filter(l -> l.pair().built()));
    Map<Long, int[]> out = new HashMap<>();
    withIds(
            rows,
            wanted,
            PoolRow::order,
            r -> new Tuple2<>(r.order(), new int[] {r.firstLength(), r.secondLength()}))
        .forEach(t -> out.put(t._1(), t._2()));
    return out;
  }

  private static int length(Map<Long, int[]> lengths, Comparison.Answer a) {
    return lengths.get(orderOf(a.pair().key()))[a.isFirst() ? 0 : 1];
  }

  /**
   * The pool pairs of {@code from} (the persisted pool, or its texts) whose {@code id} (read order
   * or content id) is one of {@code ids} (sorted, distinct), as {@code part} of each.
   */
  private <T> List<T> withIds(
      JavaRDD<PoolRow> from, long[] ids, Function<PoolRow, Long> id, Function<PoolRow, T> part) {
    if (ids.length == 0) {
      return List.of();
    }
    Broadcast<long[]> find = context.broadcast(ids);
    try {
      JavaRDD<T> found =
          from.filter(r -> Arrays.binarySearch(find.value(), id.call(r)) >= 0).map(part);
      if (ids.length <= STREAM_ABOVE) {
        return found.collect();
      }
      // Many pairs (a fit's picks' vectors, a resumed run's saved labels) come a partition at a
      // time: all at once they pass Spark's limit on a job's results (spark.driver.maxResultSize).
      // They are found first, by one job over every part of the pool at once, and kept: a part
      // at a time, each job would read its part of the pool again, one after another (at 2M
      // pairs, 7 s a part read back from disk).
      found = found.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
      try {
        found.count();
        List<T> out = new ArrayList<>(ids.length);
        try (PartsInOrder<T> inOrder = PartsInOrder.of(found)) {
          inOrder.forEachRemaining(out::add);
        }
        return out;
      } finally {
        found.unpersist(false);
      }
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
    // Each pair named once (a built label names pairs other labels name too), by saved key: the
    // copies of a pair the pool holds more than once go to its saved keys in their order.
    java.util.TreeMap<Integer, Long> idOfKey = new java.util.TreeMap<>();
    for (int i = 0; i < savedKeys.length; i++) {
      idOfKey.put(savedKeys[i], ids[i]);
    }
    long[] wanted =
        idOfKey.values().stream().mapToLong(Long::longValue).distinct().sorted().toArray();
    Map<Long, java.util.ArrayDeque<Long>> copies = new HashMap<>();
    withIds(rows, wanted, PoolRow::contentId, r -> new long[] {r.contentId(), r.order()}).stream()
        .sorted(Comparator.comparingLong(r -> r[1]))
        .forEach(r -> copies.computeIfAbsent(r[0], k -> new java.util.ArrayDeque<>()).add(r[1]));
    Map<Integer, UnlabeledPair> bySavedKey = new HashMap<>();
    for (Map.Entry<Integer, Long> e : idOfKey.entrySet()) {
      java.util.ArrayDeque<Long> left = copies.get(e.getValue());
      if (left == null || left.isEmpty()) {
        throw new IllegalArgumentException(
            "a saved self-label names a pair that is not in the pool (content id "
                + org.ser4j.data.ContentId.hex(e.getValue())
                + "): was the pool changed since the run began?");
      }
      bySavedKey.put(e.getKey(), keyOnly(left.poll()).first().pair());
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
            texts,
            wanted,
            PoolRow::contentId,
            r -> new Tuple2<>(new long[] {r.contentId(), r.order()}, r.first()))) {
      onPool.put(keyOf(t._1()[1]), t._2().equals(chosen.get(t._1()[0])));
    }
    return new SerDataset.AddedLabels(n, onPool);
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
    withIds(rows, wanted, PoolRow::order, PoolRow::vectorsOnly)
        .forEach(r -> byId.put(r.order(), r));
    float[][] first = new float[keys.length][];
    float[][] second = new float[keys.length][];
    for (int i = 0; i < keys.length; i++) {
      PoolRow r = byId.get(orderOf(keys[i]));
      first[i] = r.firstVector();
      second[i] = r.secondVector();
    }
    return new PairFeatures(first, second);
  }

  /**
   * The style measures of picked pairs' answers (--debias, for a fit on the driver), measured on
   * the executors from the texts there: only the numbers come to the driver, {@code styles.size()}
   * an answer.
   */
  @Override
  public double[][][] selfLabelStyles(List<org.ser4j.data.Style> styles, List<SelfLabel> labels) {
    List<org.ser4j.data.Style> measured = List.copyOf(styles); // shipped to the executors
    long[] wanted = // both answers' pairs (two for a built label)
        pairOrders(labels.stream());
    Map<Long, double[][]> byOrder = new HashMap<>();
    withIds(
            texts,
            wanted,
            PoolRow::order,
            r ->
                new Tuple2<>(
                    r.order(),
                    org.ser4j.model.head.StyleInputs.measure(
                        measured, List.of(r.first(), r.second()))))
        .forEach(t -> byOrder.put(t._1(), t._2()));
    double[][][] out = {new double[labels.size()][], new double[labels.size()][]};
    for (int i = 0; i < labels.size(); i++) {
      SelfLabel l = labels.get(i);
      Comparison.Answer chosen = l.chosenAnswer();
      Comparison.Answer rejected = l.rejectedAnswer();
      out[0][i] = byOrder.get(orderOf(chosen.pair().key()))[chosen.isFirst() ? 0 : 1];
      out[1][i] = byOrder.get(orderOf(rejected.pair().key()))[rejected.isFirst() ? 0 : 1];
    }
    return out;
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
