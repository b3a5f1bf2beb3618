package org.ser4j.ser.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ser4j.data.Prompt;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.model.PairRewards;
import org.ser4j.model.learn.Comparison;
import org.ser4j.model.learn.SelfLabel;

/**
 * A rule's necessary test ({@link PairSelection#necessary}), which a pool scored elsewhere applies
 * before sending pairs back: every pair the rule picks passes it, and where the test is the rule
 * itself, picking among the pairs that pass gives the same picks as picking among all.
 */
class NecessaryTestTest {
  static final int N = 2000;

  record Scored(List<Comparison> pairs, double[] r1, double[] r2) {}

  static Scored scored(long seed, double spread) {
    Random rng = new Random(seed);
    List<Comparison> pairs = new ArrayList<>();
    double[] r1 = new double[N];
    double[] r2 = new double[N];
    for (int i = 0; i < N; i++) {
      pairs.add(
          Comparison.of(new UnlabeledPair(i, "p" + i, Prompt.of("q" + i), "a" + i, "b" + i, null)));
      r1[i] = rng.nextGaussian() * spread;
      r2[i] = rng.nextGaussian() * spread;
    }
    r2[7] = r1[7]; // a tie: no rule keeps it
    return new Scored(pairs, r1, r2);
  }

  static PairSelection.Context context(double temperature, PairRewards validation) {
    return new PairSelection.Context() {
      public int loop() {
        return 1;
      }

      public PairRewards validationRewards() {
        return validation;
      }

      public double temperature() {
        return temperature;
      }

      public PrintWriter log() {
        return null;
      }
    };
  }

  static List<SelfLabel> pick(PairSelection rule, Scored s, PairSelection.Context c, boolean filter)
      throws Exception {
    PairFilter test = rule.necessary(c);
    List<Comparison> kept = new ArrayList<>();
    List<Double> a = new ArrayList<>();
    List<Double> b = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      if (!filter || test.passes(s.r1()[i], s.r2()[i])) {
        kept.add(s.pairs().get(i));
        a.add(s.r1()[i]);
        b.add(s.r2()[i]);
      }
    }
    PairRewards r =
        new PairRewards(
            a.stream().mapToDouble(Double::doubleValue).toArray(),
            b.stream().mapToDouble(Double::doubleValue).toArray());
    return rule.pick(new CandidateSource.Candidates(kept, r, r, kept.size()), c).selected();
  }

  @Test
  void everyRuleOnTheRawScalePicksTheSameAmongThePairsThatPass() throws Exception {
    Thresholds paper = Thresholds.paper();
    Scored s = scored(3, 1.0);
    PairRewards validation = new PairRewards(s.r1(), s.r2()); // first answers as preferred
    SelectionOptions precise = new SelectionOptions(0.7, 0.9, 5, false, 0, false);
    for (PairSelection rule : rawRules(paper, precise)) {
      PairSelection.Context c = context(0.8, validation);
      List<SelfLabel> all = pick(rule, s, c, false);
      assertTrue(all.size() > 50 && all.size() < N - 50, "the rule picks some: " + all.size());
      PairFilter test = rule.necessary(c);
      for (SelfLabel l : all) {
        int i = l.pair().key();
        assertTrue(test.passes(s.r1()[i], s.r2()[i]), "a picked pair passes");
      }
      List<SelfLabel> filtered = pick(rule, s, c, true);
      assertEquals(keys(all), keys(filtered));
      assertEquals(all, filtered, "the same self-labels, numbers and all");
    }
  }

  /**
   * A rule that decides each pair alone ({@link PairSelection#each}, what the executors run) picks
   * the same pairs, with the same numbers, rule, temperature and status as its {@code pick}; a
   * precision target (a quota) and the pool's scale read the candidates together, so have none.
   */
  @Test
  void aRuleDecidedPairByPairPicksWhatItsPickPicks() throws Exception {
    Thresholds paper = Thresholds.paper();
    Scored s = scored(5, 1.0);
    PairRewards validation = new PairRewards(s.r2(), s.r1()); // second answers as preferred
    SelectionOptions strict = new SelectionOptions(0.9, 0, 5, false, 0, false);
    for (PairSelection rule : rawRules(paper, strict)) {
      PairSelection.Context c = context(0.6, validation);
      PairSelection.Picked expected = pickAll(rule, s, c);
      PairSelection.Each each = rule.each(c);
      List<SelfLabel> mine = eachPair(each, s, c.loop());
      assertTrue(mine.size() > 50 && mine.size() < N - 50, "the rule picks some: " + mine.size());
      assertEquals(expected, each.report().apply(mine));
    }
    SelectionOptions precise = new SelectionOptions(0.7, 0.9, 5, false, 0, false);
    assertNull(PairSelection.calibrated(precise).each(context(1, null)));
    assertNull(
        PairSelection.thresholds(SelectionRule.BOTH, paper, ConfidenceScale.POOL)
            .each(context(1, null)));
  }

  /**
   * On the pool's scale, the rule given the scale's mean and std (as the executors sum them)
   * decides each pair as its {@code pick} picks among all candidates, auto's choice included.
   */
  @Test
  void onThePoolsScaleEachPairIsDecidedAsPickPicksGivenTheScale() throws Exception {
    Scored s = scored(9, 0.2); // a small RM: rewards a few tenths apart
    PairRewards validation = new PairRewards(s.r1(), s.r2());
    double[] all = new double[2 * N];
    System.arraycopy(s.r1(), 0, all, 0, N);
    System.arraycopy(s.r2(), 0, all, N, N);
    org.ser4j.model.RewardScale scale = org.ser4j.model.RewardScale.zscore(all);
    for (SelectionRule r : List.of(SelectionRule.BOTH, SelectionRule.AUTO)) {
      PairSelection rule = PairSelection.thresholds(r, Thresholds.paper(), ConfidenceScale.POOL);
      PairSelection.Context c = context(1, validation);
      assertTrue(rule.readsPoolScale());
      PairSelection.Picked expected = pickAll(rule, s, c);
      PairSelection.Each each = rule.eachOnScale(c, scale.mean(), scale.std());
      List<SelfLabel> mine = eachPair(each, s, c.loop());
      assertTrue(mine.size() > 50 && mine.size() < N - 50, "the rule picks some: " + mine.size());
      assertEquals(expected, each.report().apply(mine));
    }
    assertTrue(
        !PairSelection.thresholds(SelectionRule.BOTH, Thresholds.paper(), ConfidenceScale.RAW)
            .readsPoolScale());
  }

  /**
   * A precision target as a quota over a ranking ({@link PairSelection#ranked}): the pairs ranked
   * by confidence (ties in candidate order), the quota fed their confidences best first, and the
   * pairs ranked within the last one it keeps, picked, are what its {@code pick} picks; the other
   * rules have no ranking.
   */
  @Test
  void aQuotaOverARankingPicksWhatItsPickPicks() throws Exception {
    Scored s = scored(11, 1.0);
    s.r1()[20] = s.r1()[10]; // two pairs of one confidence: the tie goes to candidate order
    s.r2()[20] = s.r2()[10];
    for (double target : new double[] {0.9, 0.95, 0.999999}) {
      PairSelection rule =
          PairSelection.calibrated(new SelectionOptions(0.7, target, 5, false, 0, false));
      PairSelection.Context c = context(0.8, null);
      PairSelection.Picked expected = pickAll(rule, s, c);
      PairSelection.Ranked ranked = rule.ranked(c);
      List<Integer> passing = new ArrayList<>();
      double[] conf = new double[N];
      for (int i = 0; i < N; i++) {
        conf[i] = ranked.confidence().of(s.r1()[i], s.r2()[i]);
        if (!Double.isNaN(conf[i])) {
          passing.add(i);
        }
      }
      passing.sort((a, b) -> conf[a] != conf[b] ? Double.compare(conf[b], conf[a]) : a - b);
      PairConfidence.Quota quota = ranked.quota().get();
      passing.forEach(i -> quota.offer(conf[i]));
      List<Integer> kept = new ArrayList<>(passing.subList(0, quota.take()));
      kept.sort(Integer::compare);
      List<SelfLabel> mine = new ArrayList<>();
      for (int i : kept) {
        double[] n = ranked.numbers().of(s.r1()[i], s.r2()[i]);
        mine.add(SelfLabel.of(s.pairs().get(i), n[0], n[1], c.loop()));
      }
      assertEquals(expected, ranked.report().apply(mine), "target " + target);
      assertTrue(target > 0.99 || mine.size() > 20, "the quota keeps some: " + mine.size());
    }
    SelectionOptions plain = new SelectionOptions(0.7, 0, 5, false, 0, false);
    assertNull(PairSelection.calibrated(plain).ranked(context(1, null)));
    assertNull(
        PairSelection.thresholds(SelectionRule.BOTH, Thresholds.paper(), ConfidenceScale.RAW)
            .ranked(context(1, null)));
  }

  @Test
  void thePoolScaleReadsEveryRewardSoHasNoTest() throws Exception {
    PairSelection rule =
        PairSelection.thresholds(SelectionRule.BOTH, Thresholds.paper(), ConfidenceScale.POOL);
    assertNull(rule.necessary(context(1, null)));
  }

  /** {@code rule}'s picks among every pair of {@code s}. */
  static PairSelection.Picked pickAll(PairSelection rule, Scored s, PairSelection.Context c)
      throws Exception {
    PairRewards r = new PairRewards(s.r1(), s.r2());
    return rule.pick(new CandidateSource.Candidates(s.pairs(), r, r, N), c);
  }

  /** The pairs of {@code s} that {@code each} keeps, decided one by one, with its numbers. */
  static List<SelfLabel> eachPair(PairSelection.Each each, Scored s, int loop) {
    List<SelfLabel> out = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      double[] scores = each.scores().of(s.r1()[i], s.r2()[i]);
      if (scores != null) {
        out.add(SelfLabel.of(s.pairs().get(i), scores[0], scores[1], loop));
      }
    }
    return out;
  }

  /** Every rule on the raw scale: the four threshold rules, pair confidence, and {@code other}. */
  static List<PairSelection> rawRules(Thresholds paper, SelectionOptions other) {
    return List.of(
        PairSelection.thresholds(SelectionRule.BOTH, paper, ConfidenceScale.RAW),
        PairSelection.thresholds(SelectionRule.GOOD_BAD, paper, ConfidenceScale.RAW),
        PairSelection.thresholds(SelectionRule.DIFFERENCE, paper, ConfidenceScale.RAW),
        PairSelection.thresholds(SelectionRule.AUTO, paper, ConfidenceScale.RAW),
        PairSelection.calibrated(SelectionOptions.defaults()),
        PairSelection.calibrated(other));
  }

  static List<Integer> keys(List<SelfLabel> labels) {
    return labels.stream().map(l -> l.pair().key()).toList();
  }
}
