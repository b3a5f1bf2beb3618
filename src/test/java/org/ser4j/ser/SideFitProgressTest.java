package org.ser4j.ser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ser4j.bench.SyntheticPool;
import org.ser4j.data.split.SerDataset;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.model.Provenance;
import org.ser4j.model.head.FeatureSource;
import org.ser4j.model.head.HeadFeatures;
import org.ser4j.model.head.HeadLearner;
import org.ser4j.ser.select.SelectionOptions;
import org.ser4j.util.Progress;

/**
 * Side fits (decision folds, reviewers) show one bar per loop, not one per fit: a 5-fold run with 3
 * reviewers fits 1 + 5 + 3 heads a loop, and only the loop's own fit draws a "train head" bar.
 */
class SideFitProgressTest {
  /** A started task: its name, its total and the steps it was told. */
  private static final class Started {
    final String name;
    final long total;
    long steps;

    Started(String name, long total) {
      this.name = name;
      this.total = total;
    }
  }

  private static Progress recording(List<Started> tasks) {
    return (name, total, unit) -> {
      Started s = new Started(name, total);
      tasks.add(s);
      return new Progress.Task() {
        @Override
        public void step(long n) {
          s.steps += n;
        }

        @Override
        public void message(String extra) {}

        @Override
        public void close() {}
      };
    };
  }

  /** A source that hands out {@code features} whatever the data (not this process's featurizer). */
  static FeatureSource fixed(HeadFeatures features) {
    return new FeatureSource() {
      @Override
      public HeadFeatures encode(SerDataset data) {
        return features;
      }

      @Override
      public EncoderConfig encoder() {
        return null;
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void foldRunsAndReviewersDrawOneBarEachPerLoop() throws IOException {
    SyntheticPool.Synthetic pool = SyntheticPool.of(1500, 0.15, 300, 16, 3);
    SerConfig config =
        SerConfig.defaults()
            .withMaxLoops(2)
            .withMinNew(1)
            .withSelection(new SelectionOptions(0.8, 0, 5, false, 3, false));
    List<Started> tasks = new ArrayList<>();
    FeatureSource source = fixed(pool.features());
    SerResult result;
    try (HeadLearner learner = HeadLearner.over(source, config.train(), recording(tasks))) {
      result =
          new SerLoop(config, 3, null, Provenance.UNKNOWN, new PrintWriter(Writer.nullWriter()))
              .run(pool.data(), learner);
    }
    int loops = result.loops().size();
    assertTrue(loops >= 2, "the synthetic pool gives at least one SER loop: " + loops);

    Map<String, Long> counts = new java.util.TreeMap<>();
    tasks.forEach(t -> counts.merge(t.name, 1L, Long::sum));
    assertEquals(loops, counts.get("train head"), "one head bar per loop, none per side fit");
    for (int t = 0; t < loops; t++) {
      String name = "decision folds, loop " + t;
      List<Started> folds = tasks.stream().filter(s -> s.name.equals(name)).toList();
      assertEquals(1, folds.size(), name);
      assertEquals(5, folds.get(0).total);
      assertEquals(5, folds.get(0).steps, "every fold fit is one step");
    }
    List<Started> reviewers = tasks.stream().filter(s -> s.name.equals("reviewers")).toList();
    assertEquals(loops - 1, reviewers.size(), "one reviewers bar per loop that selected");
    reviewers.forEach(r -> assertEquals(3, r.steps));
    assertEquals(
        tasks.size(),
        loops + loops + reviewers.size(),
        "no other bars: " + counts); // the run's head fits, fold runs and reviewers only
  }

  @Test
  void hidingNestsAndEndsWithItsTaskEvenOnFailure() {
    List<Started> tasks = new ArrayList<>();
    Progress.Hideable progress = Progress.hideable(recording(tasks));
    progress.asOneTask(
        "outer",
        2,
        "fits",
        outer -> {
          progress.start("hidden", 1, "x").close();
          progress.asOneTask("inner", 1, "fits", inner -> {}); // hidden too: within outer
          progress.start("still hidden", 1, "x").close();
        });
    assertThrows(
        IllegalStateException.class,
        () ->
            progress.asOneTask(
                "failing",
                1,
                "fits",
                task -> {
                  throw new IllegalStateException("fit failed");
                }));
    progress.start("shown", 1, "x").close();
    assertEquals(List.of("outer", "failing", "shown"), tasks.stream().map(t -> t.name).toList());
  }
}
