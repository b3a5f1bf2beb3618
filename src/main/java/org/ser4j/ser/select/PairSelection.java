package org.ser4j.ser.select;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.ser4j.model.PairRewards;
import org.ser4j.model.learn.SelfLabel;

/**
 * Step 2 of a SER loop: which scored candidates the RM labels itself. The paper's thresholds on
 * each answer's sigmoid(r) ({@link #thresholds}) or calibrated pair confidence ({@link
 * #calibrated}); a new rule (an acquisition strategy's mirror image) is another implementation.
 */
public interface PairSelection {
  Picked pick(CandidateSource.Candidates candidates, Context context) throws IOException;

  /**
   * A test on a pair's two rewards that every pair this rule picks passes, so that a pool scored
   * elsewhere sends only those ({@link Pool}); null where the rule reads the whole pool (its reward
   * scale), and every candidate must come.
   */
  default PairFilter necessary(Context context) throws IOException {
    return null;
  }

  /**
   * This rule as a decision on each pair alone, so that a pool scored elsewhere picks where it
   * lives and only the picks travel; null where the rule reads the candidates together (a precision
   * target's quota, the pool's reward scale). It picks what {@link #pick} picks, pair by pair.
   */
  default Each each(Context context) throws IOException {
    return null;
  }

  /**
   * Whether this rule reads the pool's reward scale ({@link ConfidenceScale#POOL}): its {@link
   * #each} is then null, and {@link #eachOnScale} decides each pair once the scale is known.
   */
  default boolean readsPoolScale() {
    return false;
  }

  /**
   * This rule as a decision on each pair alone, given the pool's reward scale: the mean and
   * (population) std of every reward of the candidates, computed where they are; std 0 where the
   * rewards are all one number. Null for a rule that reads no scale or the candidates together.
   */
  default Each eachOnScale(Context context, double mean, double std) throws IOException {
    return null;
  }

  /**
   * This rule as a quota over a ranking (a precision target): of the pairs that pass its test, the
   * most confident first, as many as its {@link PairConfidence.Quota} keeps; so that a pool scored
   * elsewhere ranks the pairs where they are and only their confidences pass here, in rank order.
   * Null for any other rule.
   */
  default Ranked ranked(Context context) throws IOException {
    return null;
  }

  /**
   * A quota over a ranking: {@code confidence} ranks the pairs (higher first, ties in candidate
   * order; NaN where a pair fails the rule's test), {@code quota} (a fresh one each loop) counts
   * how many the rule keeps, {@code numbers} gives a kept pair its numbers, and {@code report}
   * reports a loop's picks (in candidate order) as {@link #pick} does.
   */
  record Ranked(
      PairRank confidence,
      java.util.function.Supplier<PairConfidence.Quota> quota,
      PairScores numbers,
      java.util.function.Function<List<SelfLabel>, Picked> report) {}

  /** A pair's rank for rewards r1, r2: higher first; NaN where the rule does not keep it. */
  @FunctionalInterface
  interface PairRank extends java.io.Serializable {
    double of(double r1, double r2);
  }

  /**
   * A rule that decides each pair alone: the decision, shipped to where the pairs are, and how a
   * loop's picks (in candidate order) are reported, as {@link #pick} reports them.
   */
  record Each(PairScores scores, java.util.function.Function<List<SelfLabel>, Picked> report) {}

  /** The rule's numbers {s1, s2} for a pair with rewards r1, r2 that it picks; null otherwise. */
  @FunctionalInterface
  interface PairScores extends java.io.Serializable {
    double[] of(double r1, double r2);
  }

  /**
   * A loop's self-labels in candidate order, the concrete rule that chose them, pair-confidence's T
   * (else null), and the learning status they show.
   */
  record Picked(
      List<SelfLabel> selected, SelectionRule rule, Double temperature, LoopStatus status) {}

  /** What a rule may read besides the candidates, each asked only when the rule needs it. */
  interface Context {
    int loop();

    /** The current RM's rewards of the labeled validation pairs, or null where there are none. */
    PairRewards validationRewards() throws IOException;

    /** Pair confidence's temperature for the current RM. */
    double temperature() throws IOException;

    /** Where to say what the rule read off the pool, or null (a fold run's selection). */
    PrintWriter log();
  }

  /** The rule {@code rule} names: calibrated pair confidence, or the paper's thresholds. */
  static PairSelection of(
      SelectionRule rule, SelectionOptions options, Thresholds thresholds, ConfidenceScale how) {
    return rule == SelectionRule.PAIR_CONFIDENCE
        ? calibrated(options)
        : thresholds(rule, thresholds, how);
  }

  /**
   * The paper's rules on s = sigmoid(r) per answer (r read on the pool's scale with {@link
   * ConfidenceScale#POOL}); {@code auto} takes the rule that is right more often on the validation
   * pairs, good-bad without any.
   */
  static PairSelection thresholds(SelectionRule rule, Thresholds thresholds, ConfidenceScale how) {
    Selector selector = new Selector(thresholds);
    return new PairSelection() {
      @Override
      public Picked pick(CandidateSource.Candidates c, Context context) throws IOException {
        Selector scaled = selector.scaledFor(how, c.poolPairs().chosen(), c.poolPairs().rejected());
        if (how == ConfidenceScale.POOL) {
          logScale(scaled, context);
        }
        SelectionRule concrete = concrete(scaled, context);
        PairRewards r = c.rewards();
        List<SelfLabel> selected =
            scaled.select(c.comparisons(), r.chosen(), r.rejected(), concrete, context.loop());
        return new Picked(selected, concrete, null, selector.status(selected));
      }

      /** On the raw scale, s = sigmoid(r) and the concrete rule's thresholds, pair by pair. */
      @Override
      public Each each(Context context) throws IOException {
        return how == ConfidenceScale.POOL ? null : eachBy(selector, context);
      }

      @Override
      public boolean readsPoolScale() {
        return how == ConfidenceScale.POOL;
      }

      /** On the pool's scale: s = sigmoid((r - mean) / std), pair by pair. */
      @Override
      public Each eachOnScale(Context context, double mean, double std) throws IOException {
        if (how != ConfidenceScale.POOL) {
          return null;
        }
        Selector scaled = selector.scaledBy(mean, std);
        logScale(scaled, context);
        return eachBy(scaled, context);
      }

      /** Says what the pool's scale is, where the context has a log. */
      private void logScale(Selector scaled, Context context) {
        if (context.log() != null) {
          context
              .log()
              .printf(
                  Locale.ROOT,
                  "loop %d: pool rewards mean %.4f, std %.4f: s = sigmoid((r - mean) / std)%n",
                  context.loop(),
                  scaled.center(),
                  scaled.spread());
        }
      }

      /** The rule itself, or auto's choice under {@code scaled} (good-bad without validation). */
      private SelectionRule concrete(Selector scaled, Context context) throws IOException {
        if (rule != SelectionRule.AUTO) {
          return rule;
        }
        PairRewards validation = context.validationRewards();
        return validation != null ? scaled.resolveAuto(validation) : SelectionRule.GOOD_BAD;
      }

      /** {@code scaled}'s s of each answer and the concrete rule's thresholds, pair by pair. */
      private Each eachBy(Selector scaled, Context context) throws IOException {
        SelectionRule decided = concrete(scaled, context);
        return new Each(
            (r1, r2) -> {
              double s1 = scaled.probabilityGood(r1);
              double s2 = scaled.probabilityGood(r2);
              return thresholds.keeps(decided, s1, s2) ? new double[] {s1, s2} : null;
            },
            selected -> new Picked(selected, decided, null, selector.status(selected)));
      }

      /** On the raw scale, each pair's own test; auto picks one of two rules, so either. */
      @Override
      public PairFilter necessary(Context context) {
        if (how == ConfidenceScale.POOL) {
          return null;
        }
        SelectionRule test = rule == SelectionRule.AUTO ? SelectionRule.BOTH : rule;
        return (r1, r2) ->
            thresholds.keeps(
                test, org.ser4j.model.Loss.sigmoid(r1), org.ser4j.model.Loss.sigmoid(r2));
      }
    };
  }

  /** Calibrated pair confidence ({@link PairConfidence}), T from the context. */
  static PairSelection calibrated(SelectionOptions options) {
    return new PairSelection() {
      @Override
      public Picked pick(CandidateSource.Candidates c, Context context) throws IOException {
        PairConfidence pc = new PairConfidence(context.temperature());
        PairRewards r = c.rewards();
        List<SelfLabel> selected =
            pc.select(
                c.comparisons(),
                r.chosen(),
                r.rejected(),
                options.minConfidence(),
                options.targetPrecision(),
                context.loop());
        return new Picked(
            selected, SelectionRule.PAIR_CONFIDENCE, pc.temperature(), LoopStatus.PAIR_CONFIDENCE);
      }

      /** Without a precision target (a quota), the minimum confidence decides each pair. */
      @Override
      public Each each(Context context) throws IOException {
        if (options.targetPrecision() > 0) {
          return null;
        }
        PairConfidence pc = new PairConfidence(context.temperature());
        double min = options.minConfidence();
        double t = pc.temperature();
        return new Each(
            (r1, r2) -> pc.confident(r1, r2, min) ? pc.scores(r1, r2) : null,
            selected ->
                new Picked(selected, SelectionRule.PAIR_CONFIDENCE, t, LoopStatus.PAIR_CONFIDENCE));
      }

      /** With a precision target: the pairs that pass ranked by confidence, and the quota. */
      @Override
      public Ranked ranked(Context context) throws IOException {
        if (options.targetPrecision() <= 0) {
          return null;
        }
        PairConfidence pc = new PairConfidence(context.temperature());
        double min = options.minConfidence();
        double t = pc.temperature();
        double target = options.targetPrecision();
        return new Ranked(
            (r1, r2) -> pc.confident(r1, r2, min) ? pc.confidence(r1, r2) : Double.NaN,
            () -> new PairConfidence.Quota(target),
            pc::scores,
            selected ->
                new Picked(selected, SelectionRule.PAIR_CONFIDENCE, t, LoopStatus.PAIR_CONFIDENCE));
      }

      /** The minimum confidence; the precision target then picks among those. */
      @Override
      public PairFilter necessary(Context context) throws IOException {
        PairConfidence pc = new PairConfidence(context.temperature());
        double min = options.minConfidence();
        return (r1, r2) -> pc.confident(r1, r2, min);
      }
    };
  }
}
