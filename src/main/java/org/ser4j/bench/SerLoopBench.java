package org.ser4j.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.Writer;
import org.ser4j.model.Provenance;
import org.ser4j.model.head.HeadLearner;
import org.ser4j.model.head.HeadModel;
import org.ser4j.model.head.SerInputs;
import org.ser4j.model.learn.Comparison;
import org.ser4j.ser.LoopReport;
import org.ser4j.ser.SerConfig;
import org.ser4j.ser.SerLoop;
import org.ser4j.ser.SerResult;
import org.ser4j.ser.select.Selector;
import org.ser4j.util.Json;

/**
 * One SER loop (after Loop 0, timed apart) with the default cross-validated decisions on a
 * synthetic pool of cached 768-d features ({@link SyntheticPool}): the whole loop, its fits apart
 * (the main fit and each decision fold's), and scoring plus selection alone, the part that grows
 * with the pool.
 */
public final class SerLoopBench {
  private SerLoopBench() {}

  /**
   * Keys pool, loop_seconds, score_select_seconds, selected, self_label_precision, heap_mb, and
   * fits: [{kind (main or fold), pairs, epochs, seconds}] of the timed loop.
   */
  public static ObjectNode run(int n) throws Exception {
    SyntheticPool.Synthetic pool = SyntheticPool.of(n, 0.15, 1000, 768, 1);
    SerInputs in = pool.features();
    SerConfig config = SerConfig.defaults().withMaxLoops(1).withMinNew(10);
    TimedLearner learner = new TimedLearner(HeadLearner.of(in, config.train()));
    SerResult result =
        new SerLoop(config, 1, null, Provenance.UNKNOWN, new PrintWriter(Writer.nullWriter()))
            .run(pool.data(), learner);
    // Score + select alone, timed apart from retraining.
    long t0 = System.nanoTime();
    HeadModel m = (HeadModel) result.keptModel();
    double[] r1 = m.score(in.poolFirst());
    double[] r2 = m.score(in.poolSecond());
    int selected =
        new Selector(config.thresholds())
            .select(in.pool().stream().map(Comparison::of).toList(), r1, r2, config.rule(), 1)
            .size();
    double scoreSelect = Timing.since(t0);
    Runtime rt = Runtime.getRuntime();
    ObjectNode row = Json.PRETTY.createObjectNode();
    row.put("pool", n);
    row.put("score_select_seconds", scoreSelect);
    boolean ran = result.loops().size() > 1;
    LoopReport loop1 = ran ? result.loops().get(1) : null;
    row.put("loop_seconds", ran ? loop1.seconds() : Double.NaN);
    row.put("selected", ran ? loop1.selected() : selected);
    row.put("self_label_precision", ran ? loop1.selfLabelPrecision() : Double.NaN);
    row.put("heap_mb", (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
    ArrayNode fits = row.putArray("fits");
    var all = learner.fits();
    // A loop's fits end with its main fit (fixed epochs): loop 1's follow loop 0's main fit.
    int loop0End = 0;
    while (loop0End < all.size() && all.get(loop0End).judged()) {
      loop0End++;
    }
    for (TimedLearner.FitTime f : all.subList(Math.min(all.size(), loop0End + 1), all.size())) {
      fits.addObject()
          .put("kind", f.judged() ? "fold" : "main")
          .put("pairs", f.pairs())
          .put("epochs", f.epochs())
          .put("seconds", f.seconds());
    }
    return row;
  }
}
