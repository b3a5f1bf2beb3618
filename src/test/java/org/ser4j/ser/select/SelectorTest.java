package org.ser4j.ser.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ser4j.data.Prompt;
import org.ser4j.data.SourceRef;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.model.PairRewards;
import org.ser4j.model.learn.Comparison;
import org.ser4j.model.learn.SelfLabel;

/** The selection rule pinned on hand-made scores. */
public class SelectorTest {
  private final Thresholds paper = Thresholds.paper();

  @Test
  void goodVsBadNeedsOneAboveTauHighAndOneBelowTauLowStrictly() {
    assertTrue(paper.goodVsBad(0.56, 0.44));
    assertTrue(paper.goodVsBad(0.44, 0.56), "order does not matter");
    assertFalse(paper.goodVsBad(0.55, 0.44), "0.55 is not above tau_high");
    assertFalse(paper.goodVsBad(0.56, 0.45), "0.45 is not below tau_low");
    assertFalse(paper.goodVsBad(0.9, 0.6), "both good");
    assertFalse(paper.goodVsBad(0.1, 0.4), "both bad");
  }

  @Test
  void differenceNeedsMoreThanDelta() {
    assertTrue(paper.difference(0.9, 0.59));
    assertTrue(paper.difference(0.59, 0.9));
    Thresholds exact =
        new Thresholds(0.55, 0.45, 0.25); // binary fractions: 0.75 - 0.5 is exactly 0.25
    assertFalse(exact.difference(0.75, 0.5), "exactly delta is not more than delta");
    assertTrue(exact.difference(0.75, 0.4990234375));
    assertFalse(paper.difference(0.7, 0.5));
  }

  @Test
  void eachRuleKeepsWhatItShould() {
    // (0.9, 0.7): only "difference" fails (0.2), "good-bad" fails (0.7 is not bad).
    // (0.56, 0.44): good-bad yes, difference no. (0.95, 0.6): difference yes, good-bad no.
    assertFalse(paper.keeps(SelectionRule.BOTH, 0.9, 0.7));
    assertTrue(paper.keeps(SelectionRule.GOOD_BAD, 0.56, 0.44));
    assertFalse(paper.keeps(SelectionRule.DIFFERENCE, 0.56, 0.44));
    assertTrue(paper.keeps(SelectionRule.DIFFERENCE, 0.95, 0.6));
    assertFalse(paper.keeps(SelectionRule.GOOD_BAD, 0.95, 0.6));
    assertTrue(paper.keeps(SelectionRule.BOTH, 0.56, 0.44));
    assertTrue(paper.keeps(SelectionRule.BOTH, 0.95, 0.6));
    assertThrows(IllegalArgumentException.class, () -> paper.keeps(SelectionRule.AUTO, 0.9, 0.1));
  }

  private static UnlabeledPair pair(int key) {
    return new UnlabeledPair(
        key,
        "p" + key,
        Prompt.of("q" + key),
        "first " + key,
        "second " + key,
        new SourceRef("f", key + 1));
  }

  private static double logit(double s) {
    return Math.log(s / (1 - s));
  }

  @Test
  void theHigherScoredAnswerBecomesChosenWithTheSwap() {
    Selector selector = new Selector(paper);
    List<Comparison> pool = Stream.of(pair(0), pair(1), pair(2)).map(Comparison::of).toList();
    double[] r1 = {logit(0.7), logit(0.3), logit(0.52)};
    double[] r2 = {logit(0.3), logit(0.7), logit(0.48)};
    List<SelfLabel> picked = selector.select(pool, r1, r2, SelectionRule.BOTH, 1);
    assertEquals(2, picked.size(), "the third pair is not confident");
    assertTrue(picked.get(0).firstPreferred());
    assertEquals("first 0", picked.get(0).chosen());
    assertFalse(picked.get(1).firstPreferred(), "second scored higher: swapped");
    assertEquals("second 1", picked.get(1).chosen());
    assertEquals("first 1", picked.get(1).rejected());
    assertEquals(0.3, picked.get(1).s1(), 1e-12);
  }

  @Test
  void statusFollowsWhichRuleTheSelectionsSatisfy() {
    Selector selector = new Selector(paper);
    UnlabeledPair p = pair(0);
    List<SelfLabel> goodBad =
        List.of(
            SelfLabel.of(p, 0.6, 0.4, 1),
            SelfLabel.of(p, 0.9, 0.1, 1),
            SelfLabel.of(p, 0.95, 0.6, 1));
    List<SelfLabel> difference =
        List.of(
            SelfLabel.of(p, 0.95, 0.6, 1),
            SelfLabel.of(p, 0.4, 0.05, 1),
            SelfLabel.of(p, 0.6, 0.4, 1));
    assertEquals(LoopStatus.GOOD_BAD, selector.status(goodBad));
    assertEquals(LoopStatus.DIFFERENCE, selector.status(difference));
    assertEquals(LoopStatus.NONE, selector.status(List.of()));
  }

  @Test
  void autoPicksTheRuleThatIsRightMoreOftenOnLabeledPairs() {
    Selector selector = new Selector(paper);
    // Pairs (preferred, other): good-bad selections are wrong, difference selections right.
    double[] preferred = {logit(0.40), logit(0.95), logit(0.42)};
    double[] other = {logit(0.60), logit(0.60), logit(0.58)};
    assertEquals(SelectionRule.DIFFERENCE, selector.resolveAuto(new PairRewards(preferred, other)));
    double[] preferred2 = {logit(0.60), logit(0.60)};
    double[] other2 = {logit(0.40), logit(0.95)};
    assertEquals(SelectionRule.GOOD_BAD, selector.resolveAuto(new PairRewards(preferred2, other2)));
  }

  @Test
  void poolScaleReadsRewardsAgainstThePoolsOwnSpread() {
    // A small calibrated RM: rewards within +-0.3, so sigmoid(r) never leaves (0.43, 0.58).
    List<Comparison> pool =
        Stream.of(pair(0), pair(1), pair(2), pair(3)).map(Comparison::of).toList();
    double[] r1 = {1.3, 1.0, 1.02, 0.7};
    double[] r2 = {0.7, 1.0, 0.98, 1.3};
    Selector raw = new Selector(paper);
    assertEquals(
        0, raw.select(pool, r1, r2, SelectionRule.BOTH, 1).size(), "raw: nothing is confident");
    assertTrue(
        raw == raw.scaledFor(ConfidenceScale.RAW, r1, r2), "raw leaves the selector as it is");

    Selector scaled = raw.scaledFor(ConfidenceScale.POOL, r1, r2);
    // Independent numbers: mean of all eight rewards is 1.0; population std is sqrt(4 * 0.09 + 2 *
    // 0.0004) / sqrt(8).
    assertEquals(1.0, scaled.center(), 1e-12);
    assertEquals(Math.sqrt((4 * 0.09 + 2 * 0.0004) / 8), scaled.spread(), 1e-12);
    List<SelfLabel> picked = scaled.select(pool, r1, r2, SelectionRule.BOTH, 1);
    assertEquals(
        2,
        picked.size(),
        "the two pairs 0.6 apart (2.8 std) are confident; the tie and the 0.04 gap (0.19 std) are not");
    assertTrue(picked.get(0).firstPreferred());
    assertFalse(picked.get(1).firstPreferred());
    assertEquals(1 / (1 + Math.exp(-0.3 / scaled.spread())), picked.get(0).s1(), 1e-12);
  }

  @Test
  void poolScaleOfConstantRewardsSelectsNothing() {
    List<Comparison> pool = Stream.of(pair(0), pair(1)).map(Comparison::of).toList();
    double[] r = {2.0, 2.0};
    Selector scaled = new Selector(paper).scaledFor(ConfidenceScale.POOL, r, r);
    assertEquals(1.0, scaled.spread(), "zero spread falls back to 1 rather than dividing by zero");
    assertEquals(0, scaled.select(pool, r, r, SelectionRule.BOTH, 1).size());
  }
}
