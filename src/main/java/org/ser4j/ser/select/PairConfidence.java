package org.ser4j.ser.select;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.math3.analysis.UnivariateFunction;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;
import org.ser4j.model.Loss;
import org.ser4j.model.learn.Comparison;
import org.ser4j.model.learn.SelfLabel;

/**
 * Selection by calibrated pairwise confidence (SSRM, He et al. 2024): a Bradley-Terry RM's
 * probability that the first answer is preferred is P = sigmoid((r1 - r2) / T), blind to any
 * constant shift of r, unlike the paper's thresholds on each sigmoid(r). The temperature T is
 * fitted by maximum likelihood on labeled pairs the RM did not train on, so that P means what it
 * says; a pair is kept when max(P, 1 - P) reaches the minimum confidence and, with a precision
 * target, the kept pairs' mean confidence (their expected precision) reaches the target.
 */
public final class PairConfidence implements java.io.Serializable {
  /** T is searched in [e^-8, e^8]: margins of any RM here fall well inside. */
  private static final double LOG_T_BOUND = 8;

  private final double temperature;

  public PairConfidence(double temperature) {
    if (!(temperature > 0) || !Double.isFinite(temperature)) {
      throw new IllegalArgumentException("temperature must be positive, got " + temperature);
    }
    this.temperature = temperature;
  }

  public double temperature() {
    return temperature;
  }

  /** P(first over second) for rewards r1, r2. */
  public double probability(double r1, double r2) {
    return Loss.sigmoid((r1 - r2) / temperature);
  }

  /** A pair's confidence, max(P, 1 - P), for rewards r1, r2. */
  public double confidence(double r1, double r2) {
    double p = probability(r1, r2);
    return Math.max(p, 1 - p);
  }

  /**
   * How many of the most confident pairs a precision target keeps: fed their confidences most
   * confident first, it keeps the longest run whose mean is at least {@code target}. The one count,
   * here and where a pool is ranked elsewhere.
   */
  public static final class Quota {
    private final double target;
    private double sum;
    private int offered;
    private int take;

    public Quota(double target) {
      this.target = target;
    }

    /** The next most confident pair's confidence; true when the run kept now ends with it. */
    public boolean offer(double confidence) {
      sum += confidence;
      offered++;
      if (sum / offered >= target) {
        take = offered;
        return true;
      }
      return false;
    }

    /** The pairs kept, the most confident first. */
    public int take() {
      return take;
    }
  }

  /**
   * Whether a pair of rewards {@code r1}, {@code r2} reaches {@code minConfidence}: max(P, 1 - P).
   */
  public boolean confident(double r1, double r2, double minConfidence) {
    return confidence(r1, r2) >= minConfidence && r1 != r2;
  }

  /**
   * A kept pair's scores, s = sigmoid(r / T) per answer (so that sigmoid(logit(s1) - logit(s2)) is
   * its P), as its self-label carries them, here and where a pool is picked from elsewhere.
   */
  public double[] scores(double r1, double r2) {
    return new double[] {Loss.sigmoid(r1 / temperature), Loss.sigmoid(r2 / temperature)};
  }

  /**
   * The maximum-likelihood temperature for labeled {@code margins} (r_chosen - r_rejected): the T
   * minimizing the mean of -log sigmoid(m / T). Pairs the RM orders all correctly push T toward 0;
   * the search bound keeps it finite.
   */
  public static double fitTemperature(double[] margins) {
    if (margins.length == 0) {
      return 1.0;
    }
    UnivariateFunction nll =
        logT -> {
          double t = Math.exp(logT);
          double s = 0;
          for (double m : margins) {
            double z = m / t;
            // -log sigmoid(z), stable for either sign
            s += z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
          }
          return s / margins.length;
        };
    BrentOptimizer brent = new BrentOptimizer(1e-10, 1e-12);
    double logT =
        brent
            .optimize(
                new MaxEval(10_000),
                new UnivariateObjectiveFunction(nll),
                GoalType.MINIMIZE,
                new SearchInterval(-LOG_T_BOUND, LOG_T_BOUND, 0))
            .getPoint();
    return Math.exp(logT);
  }

  /**
   * The self-labels of {@code pool}: pairs whose confidence max(P, 1 - P) is at least {@code
   * minConfidence}; with {@code targetPrecision} > 0, of those only the most confident, as many as
   * keep their mean confidence at or above the target. Each self-label's scores are s = sigmoid(r /
   * T) per answer, so that sigmoid(logit(s_chosen) - logit(s_rejected)) is its P. In pool order.
   */
  public List<SelfLabel> select(
      List<Comparison> pool,
      double[] r1,
      double[] r2,
      double minConfidence,
      double targetPrecision,
      int loop) {
    List<Integer> kept = new ArrayList<>();
    double[] confidence = new double[pool.size()];
    for (int i = 0; i < pool.size(); i++) {
      confidence[i] = confidence(r1[i], r2[i]);
      if (confident(r1[i], r2[i], minConfidence)) {
        kept.add(i);
      }
    }
    if (targetPrecision > 0) {
      kept.sort(Comparator.<Integer>comparingDouble(i -> -confidence[i]).thenComparingInt(i -> i));
      Quota quota = new Quota(targetPrecision);
      for (int i : kept) {
        quota.offer(confidence[i]);
      }
      kept = new ArrayList<>(kept.subList(0, quota.take()));
      kept.sort(Integer::compare);
    }
    List<SelfLabel> out = new ArrayList<>(kept.size());
    for (int i : kept) {
      double[] s = scores(r1[i], r2[i]);
      out.add(SelfLabel.of(pool.get(i), s[0], s[1], loop));
    }
    return out;
  }
}
