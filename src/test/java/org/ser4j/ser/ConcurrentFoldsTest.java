package org.ser4j.ser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import org.junit.jupiter.api.Test;
import org.ser4j.bench.SyntheticPool;
import org.ser4j.model.Provenance;
import org.ser4j.model.head.FeatureSource;
import org.ser4j.model.head.HeadLearner;
import org.ser4j.model.head.HeadModel;

/**
 * The decision folds fitted at once on idle cores decide exactly as when fitted one after another:
 * the same loops, the same judged accuracies and the same kept model, to the bit.
 */
class ConcurrentFoldsTest {
  private static SerResult run(SyntheticPool.Synthetic pool, HeadLearner learner, SerConfig c)
      throws IOException {
    return new SerLoop(c, 3, null, Provenance.UNKNOWN, new PrintWriter(Writer.nullWriter()))
        .run(pool.data(), learner);
  }

  @Test
  void foldsAtOnceDecideAsFoldsInTurn() throws IOException {
    SyntheticPool.Synthetic pool = SyntheticPool.of(3000, 0.15, 300, 24, 11);
    SerConfig config = SerConfig.defaults().withMaxLoops(3).withMinNew(1);
    // A source of its own is not this process's featurizer: its fits run one at a time.
    FeatureSource inTurn = SideFitProgressTest.fixed(pool.features());
    SerResult a;
    SerResult b;
    try (HeadLearner sequential =
            HeadLearner.over(inTurn, config.train(), org.ser4j.util.Progress.quiet());
        HeadLearner concurrent = HeadLearner.of(pool.features(), config.train())) {
      assertFalse(sequential.concurrentFits());
      assertTrue(concurrent.concurrentFits());
      a = run(pool, sequential, config);
      b = run(pool, concurrent, config);
    }
    assertTrue(a.loops().size() >= 2, "at least one SER loop: " + a.loops().size());
    assertEquals(a.loops().size(), b.loops().size());
    for (int i = 0; i < a.loops().size(); i++) {
      LoopReport x = a.loops().get(i);
      LoopReport y = b.loops().get(i);
      assertEquals(x.selected(), y.selected(), "loop " + i);
      assertEquals(
          Double.doubleToLongBits(x.validationAccuracy()),
          Double.doubleToLongBits(y.validationAccuracy()),
          "loop " + i);
    }
    assertEquals(a.keptLoop(), b.keptLoop());
    float[][] probe = pool.features().poolFirst();
    double[] ra = ((HeadModel) a.keptModel()).score(probe);
    double[] rb = ((HeadModel) b.keptModel()).score(probe);
    for (int i = 0; i < ra.length; i++) {
      assertEquals(Double.doubleToLongBits(ra[i]), Double.doubleToLongBits(rb[i]));
    }
  }
}
