package org.ser4j.ser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ser4j.data.split.SeedSplit;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.InputStrategy;
import org.ser4j.encoder.Pooling;
import org.ser4j.model.head.PairFeatures;
import org.ser4j.model.head.RewardTrainer;
import org.ser4j.model.head.TrainConfig;
import org.ser4j.model.head.TrainedHead;
import org.ser4j.util.Progress;

/**
 * The `--encoder auto` rule on synthetic features whose truth is known: folds by prompt, the
 * out-of-fold figures against a computation by hand, a candidate built to win chosen, and the
 * cheaper of two equally good candidates preferred.
 */
class EncoderSearchTest {
  private static final TrainConfig HEAD = TrainConfig.defaults().withMaxEpochs(60);

  /**
   * 120 pairs from 40 prompts (3 each); features of width d whose first {@code signal} dims carry
   * the preference.
   */
  private static PairFeatures synthetic(int n, int d, double signal, long seed) {
    Random r = new Random(seed);
    float[] w = new float[d];
    for (int a = 0; a < d; a++) {
      w[a] = (float) r.nextGaussian();
    }
    float[][] c = new float[n][d];
    float[][] j = new float[n][d];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < d; a++) {
        c[i][a] = (float) r.nextGaussian();
        j[i][a] = (float) r.nextGaussian();
      }
      // The true reward is w.x plus noise; signal scales how much of it the features show.
      double dc = 0;
      double dj = 0;
      for (int a = 0; a < d; a++) {
        dc += w[a] * c[i][a];
        dj += w[a] * j[i][a];
      }
      boolean swap = signal * (dc - dj) + r.nextGaussian() * 3 < 0;
      if (swap) {
        float[] t = c[i];
        c[i] = j[i];
        j[i] = t;
      }
    }
    return new PairFeatures(c, j);
  }

  private static int[] groupsOf(int n, int perPrompt) {
    int[] g = new int[n];
    for (int i = 0; i < n; i++) {
      g[i] = i / perPrompt;
    }
    return g;
  }

  private static EncoderConfig config(String name) {
    return new EncoderConfig(
        name, "m", "t", Pooling.MEAN, 256, InputStrategy.PAIR_AND_RESPONSE, "f" + name);
  }

  @Test
  void foldsKeepEachPromptOnOneSideAndAreNearEqual() {
    int[] groups = new int[200];
    Random r = new Random(3);
    for (int i = 0; i < groups.length; i++) {
      groups[i] = r.nextInt(60); // prompts with 0 to about 8 pairs
    }
    int[] fold = SeedSplit.byGroup(groups, 5, 42);
    Map<Integer, Integer> foldOfGroup = new HashMap<>();
    int[] size = new int[5];
    for (int i = 0; i < groups.length; i++) {
      Integer before = foldOfGroup.putIfAbsent(groups[i], fold[i]);
      assertTrue(before == null || before == fold[i], "prompt " + groups[i] + " in two folds");
      size[fold[i]]++;
    }
    for (int s : size) {
      assertTrue(Math.abs(s - 40) <= 8, "fold sizes " + java.util.Arrays.toString(size));
    }
    assertEquals(
        java.util.Arrays.toString(fold),
        java.util.Arrays.toString(SeedSplit.byGroup(groups, 5, 42)),
        "seeded");
    assertNotEquals(
        java.util.Arrays.toString(fold),
        java.util.Arrays.toString(SeedSplit.byGroup(groups, 5, 43)));
  }

  @Test
  void theOutOfFoldFiguresEqualACalculationByHand() {
    int n = 90;
    PairFeatures f = synthetic(n, 12, 1.0, 5);
    int[] groups = groupsOf(n, 3);
    long seed = 7;
    EncoderSearch.Choice choice =
        EncoderSearch.choose(
            List.of(new EncoderSearch.Candidate(config("a"), 1.0, f)),
            groups,
            HEAD,
            seed,
            Progress.quiet());
    // By hand: the same folds, each fold's head trained on the others (a seeded tenth of them
    // stopping it early), each held-out pair right when its chosen answer scores higher.
    int[] fold = SeedSplit.byGroup(groups, 5, seed);
    double right = 0;
    double loss = 0;
    for (int k = 0; k < 5; k++) {
      List<Integer> train = new ArrayList<>();
      List<Integer> held = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        (fold[i] == k ? held : train).add(i);
      }
      int[] tr = train.stream().mapToInt(Integer::intValue).toArray();
      SeedSplit inner = SeedSplit.of(tr.length, HEAD.validationFraction(), seed + k);
      int[] fit = java.util.Arrays.stream(inner.train()).map(p -> tr[p]).toArray();
      int[] stop = java.util.Arrays.stream(inner.validation()).map(p -> tr[p]).toArray();
      TrainedHead h =
          new RewardTrainer(HEAD.withSeed(seed + k), Progress.quiet())
              .train(f.select(fit), f.select(stop));
      for (int i : held) {
        double m =
            h.head().score(h.normalizer().apply(f.chosen()[i]))
                - h.head().score(h.normalizer().apply(f.rejected()[i]));
        right += m > 0 ? 1 : m == 0 ? 0.5 : 0;
        loss += Math.log(1 + Math.exp(-m));
      }
    }
    EncoderSearch.Row row = choice.rows().get(0);
    assertEquals(right / n, row.accuracy(), 1e-12);
    assertEquals(loss / n, row.logLoss(), 1e-9);
    assertTrue(row.accuracy() > 0.6, "the signal is learnable out of fold: " + row.accuracy());
    double half = 1.96 * Math.sqrt(row.accuracy() * (1 - row.accuracy()) / n);
    assertEquals(row.accuracy() - half, row.low(), 1e-12);
  }

  @Test
  void aCandidateBuiltToWinIsChosenOverRicherNoise() {
    int n = 150;
    int[] groups = groupsOf(n, 3);
    PairFeatures winner = synthetic(n, 16, 2.0, 11);
    // The same pairs seen through noise: the losers' features do not carry the preference, and
    // they are richer (two and three encoders), which the rule prefers only when it is as good.
    Random r = new Random(12);
    PairFeatures noise1 = noiseLike(winner, r);
    PairFeatures noise2 = noiseLike(winner, r);
    EncoderSearch.Choice choice =
        EncoderSearch.choose(
            List.of(
                new EncoderSearch.Candidate(
                    EncoderConfig.concat(List.of(config("n1"), config("n2"))), 0.5, noise1),
                new EncoderSearch.Candidate(config("signal"), 2.0, winner),
                new EncoderSearch.Candidate(
                    EncoderConfig.concat(List.of(config("n3"), config("n4"), config("n5"))),
                    1.0,
                    noise2)),
            groups,
            HEAD,
            42,
            Progress.quiet());
    assertEquals("signal", choice.chosen().name(), String.join("\n", choice.lines()));
    assertTrue(choice.rows().get(1).chosen());
    assertEquals(0.0, choice.rows().get(1).behindBest());
    assertTrue(choice.rows().get(0).behindBest() > 0.15, String.join("\n", choice.lines()));
  }

  @Test
  void ofEquallyGoodCandidatesTheRicherIsChosen() {
    int n = 120;
    int[] groups = groupsOf(n, 2);
    PairFeatures f = synthetic(n, 10, 2.0, 21);
    EncoderConfig response = config("one").withStrategy(InputStrategy.RESPONSE);
    EncoderSearch.Choice choice =
        EncoderSearch.choose(
            List.of(
                new EncoderSearch.Candidate(config("one"), 2.0, f),
                new EncoderSearch.Candidate(
                    EncoderConfig.concat(List.of(config("one"), config("two"))), 4.0, f),
                new EncoderSearch.Candidate(response, 1.0, f)),
            groups,
            HEAD,
            42,
            Progress.quiet());
    assertEquals("one+two", choice.chosen().name());
    assertEquals(choice.rows().get(0).accuracy(), choice.rows().get(1).accuracy());
    List<String> lines = choice.lines();
    assertTrue(lines.get(0).contains("chose one+two"), lines.get(0));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("* one+two")), String.join("\n", lines));
    // The recorded table reads back as printed.
    assertEquals(lines, EncoderSearch.Choice.lines(choice.toJson()));
    // Of one encoder read two ways, as good: both sequences (pair+response).
    EncoderSearch.Choice single =
        EncoderSearch.choose(
            List.of(
                new EncoderSearch.Candidate(response, 1.0, f),
                new EncoderSearch.Candidate(config("one"), 2.0, f)),
            groups,
            HEAD,
            42,
            Progress.quiet());
    assertEquals(InputStrategy.PAIR_AND_RESPONSE, single.chosen().strategy());
  }

  @Test
  void standardErrorAndLogLossAgreeWithDirectFormulas() {
    double[] x = {1, 0, 1, 1, 0.5, 0, 1};
    double mean = java.util.Arrays.stream(x).average().orElseThrow();
    double var =
        java.util.Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / (x.length - 1);
    assertEquals(Math.sqrt(var / x.length), EncoderSearch.standardError(x), 1e-15);
    for (double m : new double[] {-800, -3, 0, 0.5, 40, 900}) {
      double direct = Math.abs(m) < 30 ? Math.log(1 + Math.exp(-m)) : Math.max(0, -m);
      assertEquals(direct, EncoderSearch.logLoss(m), 1e-12, "margin " + m);
    }
    assertEquals(1.0, EncoderSearch.correct(0.1));
    assertEquals(0.5, EncoderSearch.correct(0.0));
    assertFalse(EncoderSearch.correct(-0.1) > 0);
  }

  @Test
  void theDefaultSpaceReadsPairAndResponseAndSearchAddsTheResponseAlone() {
    EncoderSearch.Space space =
        EncoderSearch.defaultSpace(EncoderSearch.DEFAULT_CANDIDATES, 256, "auto");
    assertEquals(3, space.encoders().size());
    assertEquals(List.of(InputStrategy.PAIR_AND_RESPONSE), space.inputs());
    assertEquals(
        List.of(InputStrategy.PAIR_AND_RESPONSE, InputStrategy.RESPONSE),
        EncoderSearch.inputs("search"));
    assertEquals(List.of(InputStrategy.RESPONSE), EncoderSearch.inputs("response"));
    Set<String> names = new HashSet<>();
    for (String s : EncoderSearch.DEFAULT_CANDIDATES) {
      names.add(s);
    }
    assertEquals(3, names.size());
  }

  private static PairFeatures noiseLike(PairFeatures f, Random r) {
    float[][] c = new float[f.size()][f.chosen()[0].length];
    float[][] j = new float[f.size()][f.chosen()[0].length];
    for (int i = 0; i < f.size(); i++) {
      for (int a = 0; a < c[i].length; a++) {
        c[i][a] = (float) r.nextGaussian();
        j[i][a] = (float) r.nextGaussian();
      }
    }
    return new PairFeatures(c, j);
  }
}
