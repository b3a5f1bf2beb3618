package org.ser4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ser4j.model.head.BradleyTerrySums;
import org.ser4j.model.head.FullBatchTrainer;
import org.ser4j.model.head.PairFeatures;
import org.ser4j.model.head.TrainedHead;
import org.ser4j.util.Progress;

/**
 * The full-batch fit where the pool lives: summed on the executors by treeAggregate, it gives the
 * weights the same fit gives in this process (within 1e-6), and at one lambda it is the minimizer
 * MLlib's logistic regression finds on the difference vectors (an independent implementation of the
 * same objective).
 */
class ExecutorFitTest {
  private static final int D = 16;
  static SparkSession spark;
  static JavaSparkContext context;
  static JavaRDD<PoolRow> pool;
  static PairFeatures seed;
  static PairFeatures validation;
  static long[] picked;
  static boolean[] firstPreferred;
  static PairFeatures driverCopy; // the seed, then the picks oriented, as a driver fit holds them
  static double[] driverWeights;
  static final double SELF_WEIGHT = 0.7;

  @BeforeAll
  static void data() {
    spark = SparkSession.builder().master("local[2]").appName("ser4j fit test").getOrCreate();
    context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Random rnd = new Random(7);
    double[] truth = new double[D];
    for (int a = 0; a < D; a++) {
      truth[a] = rnd.nextGaussian();
    }
    seed = pairs(rnd, truth, 400);
    validation = pairs(rnd, truth, 200);
    PairFeatures unlabeled = pairs(rnd, truth, 3000);
    List<PoolRow> rows = new ArrayList<>();
    for (int i = 0; i < unlabeled.size(); i++) {
      rows.add(
          new PoolRow(
              i,
              1000L + i % 2500, // some pairs twice in the pool: rows are known by read order
              "p" + i,
              null,
              null,
              null,
              unlabeled.chosen()[i],
              unlabeled.rejected()[i]));
    }
    pool = context.parallelize(rows, 6).cache();
    // Two thirds of the pool picked, in a shuffled order, a quarter of them the other way round.
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < unlabeled.size(); i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, rnd);
    int n = 2000;
    picked = new long[n];
    firstPreferred = new boolean[n];
    float[][] c = new float[seed.size() + n][];
    float[][] r = new float[seed.size() + n][];
    driverWeights = new double[seed.size() + n];
    for (int i = 0; i < seed.size(); i++) {
      c[i] = seed.chosen()[i];
      r[i] = seed.rejected()[i];
      driverWeights[i] = 1;
    }
    for (int k = 0; k < n; k++) {
      int i = order.get(k);
      picked[k] = i; // the row read at i
      firstPreferred[k] = k % 4 != 0;
      c[seed.size() + k] = firstPreferred[k] ? unlabeled.chosen()[i] : unlabeled.rejected()[i];
      r[seed.size() + k] = firstPreferred[k] ? unlabeled.rejected()[i] : unlabeled.chosen()[i];
      driverWeights[seed.size() + k] = SELF_WEIGHT;
    }
    driverCopy = new PairFeatures(c, r);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static ExecutorRows onExecutors() {
    return new ExecutorRows(
        context,
        pool,
        seed,
        ExecutorRows.Picks.of(picked, firstPreferred),
        SELF_WEIGHT,
        D,
        pool.getNumPartitions());
  }

  @Test
  void theExecutorsFitWhatTheDriverFits() {
    FullBatchTrainer trainer = new FullBatchTrainer(Progress.quiet());
    TrainedHead here =
        trainer.train(
            FullBatchTrainer.inMemory(driverCopy, driverWeights),
            validation,
            null,
            null,
            FullBatchTrainer.PATH,
            1);
    TrainedHead there;
    try (ExecutorRows rows = onExecutors()) {
      assertEquals(driverCopy.size(), rows.size());
      there = trainer.train(rows, validation, null, null, FullBatchTrainer.PATH, 1);
    }
    assertEquals(here.bestEpoch(), there.bestEpoch(), "the same lambda kept");
    assertEquals(here.history().size(), there.history().size());
    double[] a = here.head().parameters();
    double[] b = there.head().parameters();
    double largest = 0;
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], 1e-6, "parameter " + i);
      largest = Math.max(largest, Math.abs(a[i]));
    }
    assertTrue(largest > 0.1, "a fit, not zeros: " + largest);
    for (int i = 0; i < D; i++) {
      assertEquals(here.normalizer().mean()[i], there.normalizer().mean()[i], 1e-6);
      assertEquals(here.normalizer().std()[i], there.normalizer().std()[i], 1e-6);
    }
  }

  /**
   * With the pool in one part, its 2,000 picks are two blocks of pairs; each pass sums what the
   * driver sums (to rounding: the parts merge in another order), under one std and then another
   * (the pairs' z computed again).
   */
  @Test
  void aPassOverBlocksSumsWhatTheDriverSums() {
    JavaRDD<PoolRow> onePart = pool.coalesce(1).cache();
    FullBatchTrainer.Rows here = FullBatchTrainer.inMemory(driverCopy, driverWeights);
    Random rnd = new Random(3);
    try (ExecutorRows there =
        new ExecutorRows(
            context,
            onePart,
            seed,
            ExecutorRows.Picks.of(picked, firstPreferred),
            SELF_WEIGHT,
            D,
            1)) {
      assertTrue(picked.length > ExecutorRows.PAIRS_PER_BLOCK, "more picks than a block");
      float[] mean = there.featureSums().normalizer().mean();
      float[] meanHere = here.featureSums().normalizer().mean();
      for (int a = 0; a < D; a++) {
        assertEquals(meanHere[a], mean[a], 1e-5 * Math.max(1, Math.abs(meanHere[a])));
      }
      for (int round = 0; round < 3; round++) {
        float[] std = new float[D];
        double[] theta = new double[D];
        for (int a = 0; a < D; a++) {
          std[a] = round < 2 ? 1 + a % 3 : (float) (0.5 + rnd.nextDouble()); // a new std last
          theta[a] = rnd.nextGaussian() * 0.3;
        }
        BradleyTerrySums a = here.objective(theta, std);
        BradleyTerrySums b = there.objective(theta, std);
        assertEquals(a.weight(), b.weight(), 1e-9);
        assertEquals(a.loss(), b.loss(), 1e-9 * a.loss());
        for (int k = 0; k < D; k++) {
          assertEquals(a.gradient()[k], b.gradient()[k], 1e-9 * Math.abs(a.weight()), "dim " + k);
        }
      }
    } finally {
      onePart.unpersist(false);
    }
  }

  @Test
  void atOneLambdaItIsTheMinimizerMllibFinds() {
    double lambda = 1e-2;
    TrainedHead ours;
    try (ExecutorRows rows = onExecutors()) {
      ours =
          new FullBatchTrainer(Progress.quiet())
              .train(
                  rows,
                  new PairFeatures(new float[0][], new float[0][]),
                  null,
                  null,
                  new double[] {lambda},
                  1);
    }
    // MLlib: logistic regression without an intercept on the standardized difference vectors,
    // every other one negated with label 0 (the same loss), weighted, L2 of (lambda / 2) |w|^2.
    float[] std = ours.normalizer().std();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < driverCopy.size(); i++) {
      double sign = i % 2 == 0 ? 1 : -1;
      double[] z = new double[D];
      for (int a = 0; a < D; a++) {
        z[a] = sign * ((double) driverCopy.chosen()[i][a] - driverCopy.rejected()[i][a]) / std[a];
      }
      rows.add(RowFactory.create(i % 2 == 0 ? 1.0 : 0.0, driverWeights[i], Vectors.dense(z)));
    }
    StructType schema =
        new StructType()
            .add("label", DataTypes.DoubleType)
            .add("weight", DataTypes.DoubleType)
            .add("features", new VectorUDT());
    Dataset<Row> df = spark.createDataFrame(rows, schema);
    LogisticRegressionModel mllib =
        new LogisticRegression()
            .setFitIntercept(false)
            .setStandardization(false)
            .setRegParam(lambda)
            .setElasticNetParam(0)
            .setWeightCol("weight")
            .setTol(1e-12)
            .setMaxIter(1000)
            .fit(df);
    double[] theirs = mllib.coefficients().toArray();
    for (int a = 0; a < D; a++) {
      assertEquals(theirs[a], ours.head().parameters()[a], 1e-4, "dim " + a);
    }
  }

  @Test
  void aPickMissingFromThePoolIsAnError() {
    long[] ids = picked.clone();
    ids[0] = 999_999; // no pool row was read there
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                new ExecutorRows(
                    context,
                    pool,
                    seed,
                    ExecutorRows.Picks.of(ids, firstPreferred),
                    SELF_WEIGHT,
                    D,
                    2));
    assertTrue(e.getMessage().contains("1 self-labeled pairs were not found"), e.getMessage());
  }

  /**
   * Built (West-of-N) picks take their two answers from two pool pairs, either side of each: with
   * both pairs in one part (as the pool placed by prompt has them) a pass sums what the driver sums
   * over the same answers; where a built pick's pairs are in two parts it is not found, and the fit
   * says so.
   */
  @Test
  void builtPicksTakeTheirAnswersFromTwoPairs() {
    Random rnd = new Random(11);
    ExecutorRows.Picks.Builder picks = new ExecutorRows.Picks.Builder();
    int n = 300;
    int total = (int) pool.count();
    List<PoolRow> rows = pool.collect();
    float[][] c = new float[seed.size() + n][];
    float[][] r = new float[seed.size() + n][];
    double[] weights = new double[seed.size() + n];
    for (int i = 0; i < seed.size(); i++) {
      c[i] = seed.chosen()[i];
      r[i] = seed.rejected()[i];
      weights[i] = 1;
    }
    for (int k = 0; k < n; k++) {
      int a = rnd.nextInt(total);
      int b = (a + 1 + rnd.nextInt(total - 1)) % total;
      boolean aFirst = rnd.nextBoolean();
      boolean bFirst = rnd.nextBoolean();
      picks.addBuilt(a, aFirst, b, bFirst);
      PoolRow ra = rows.get(a);
      PoolRow rb = rows.get(b);
      assertEquals(a, ra.order());
      c[seed.size() + k] = aFirst ? ra.firstVector() : ra.secondVector();
      r[seed.size() + k] = bFirst ? rb.firstVector() : rb.secondVector();
      weights[seed.size() + k] = SELF_WEIGHT;
    }
    ExecutorRows.Picks built = picks.build();
    FullBatchTrainer.Rows here = FullBatchTrainer.inMemory(new PairFeatures(c, r), weights);
    JavaRDD<PoolRow> onePart = pool.coalesce(1).cache();
    try (ExecutorRows there = new ExecutorRows(context, onePart, seed, built, SELF_WEIGHT, D, 1)) {
      assertEquals(seed.size() + n, there.size());
      float[] std = here.featureSums().normalizer().std();
      double[] theta = new double[D];
      for (int a = 0; a < D; a++) {
        theta[a] = rnd.nextGaussian() * 0.3;
      }
      BradleyTerrySums x = here.objective(theta, std);
      BradleyTerrySums y = there.objective(theta, std);
      assertEquals(x.weight(), y.weight(), 1e-9);
      assertEquals(x.loss(), y.loss(), 1e-9 * x.loss());
      for (int k = 0; k < D; k++) {
        assertEquals(x.gradient()[k], y.gradient()[k], 1e-9 * Math.abs(x.weight()), "dim " + k);
      }
    } finally {
      onePart.unpersist(false);
    }
    IllegalStateException e = // six parts: most built picks' two pairs are in two of them
        assertThrows(
            IllegalStateException.class,
            () -> new ExecutorRows(context, pool, seed, built, SELF_WEIGHT, D, 6));
    assertTrue(e.getMessage().contains("self-labeled pairs were not found"), e.getMessage());
  }

  /** Pairs of random vectors (scaled and shifted per dimension), labeled by a BT draw. */
  private static PairFeatures pairs(Random rnd, double[] truth, int n) {
    float[][] c = new float[n][D];
    float[][] r = new float[n][D];
    for (int i = 0; i < n; i++) {
      double m = 0;
      for (int a = 0; a < D; a++) {
        c[i][a] = (float) (rnd.nextGaussian() * (1 + a % 3) + a);
        r[i][a] = (float) (rnd.nextGaussian() * (1 + a % 3) + a);
        m += truth[a] * (c[i][a] - r[i][a]) / (1 + a % 3);
      }
      if (rnd.nextDouble() >= 1 / (1 + Math.exp(-m))) {
        float[] t = c[i];
        c[i] = r[i];
        r[i] = t;
      }
    }
    return new PairFeatures(c, r);
  }
}
