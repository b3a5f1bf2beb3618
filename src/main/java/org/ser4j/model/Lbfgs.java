package org.ser4j.model;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Limited-memory BFGS (Nocedal and Wright, Algorithm 7.4, two-loop recursion) with a backtracking
 * Armijo line search, for smooth convex objectives whose every evaluation may be costly (a
 * full-batch gradient summed over a cluster): one evaluation per iteration when the unit step is
 * accepted, as it usually is. Deterministic: the same objective values give the same iterates, so a
 * gradient summed in another order moves the result only by rounding.
 */
public final class Lbfgs {
  /** The objective: its value and gradient at {@code x}. */
  @FunctionalInterface
  public interface Objective {
    ValueAndGradient at(double[] x);
  }

  public record ValueAndGradient(double value, double[] gradient) {}

  /** The minimizer found, its value, the iterations and evaluations it took, and why it stopped. */
  public record Result(
      double[] x, double value, int iterations, int evaluations, boolean converged) {}

  private static final int MEMORY = 10;
  private static final double ARMIJO = 1e-4;
  private static final int MAX_BACKTRACKS = 40;

  private final int maxIterations;
  private final double gradientTolerance;

  /**
   * Stops when the gradient's largest entry is below {@code gradientTolerance}, after {@code
   * maxIterations}, or when no step lowers the objective (the limit of its precision).
   */
  public Lbfgs(int maxIterations, double gradientTolerance) {
    this.maxIterations = maxIterations;
    this.gradientTolerance = gradientTolerance;
  }

  public Result minimize(Objective f, double[] start) {
    int n = start.length;
    double[] x = start.clone();
    ValueAndGradient at = f.at(x);
    int evaluations = 1;
    Deque<double[]> ss = new ArrayDeque<>();
    Deque<double[]> ys = new ArrayDeque<>();
    Deque<Double> rhos = new ArrayDeque<>();
    for (int iter = 0; iter < maxIterations; iter++) {
      double[] g = at.gradient();
      if (maxAbs(g) < gradientTolerance) {
        return new Result(x, at.value(), iter, evaluations, true);
      }
      double[] dir = direction(g, ss, ys, rhos);
      double slope = dot(g, dir);
      if (slope >= 0) { // not a descent direction (rounding): restart from the gradient
        ss.clear();
        ys.clear();
        rhos.clear();
        dir = negate(g);
        slope = dot(g, dir);
      }
      // The first step is scaled to a unit move; later ones trust the quasi-Newton scale.
      double step = ss.isEmpty() ? Math.min(1.0, 1.0 / Math.sqrt(-slope)) : 1.0;
      double[] next = new double[n];
      ValueAndGradient trial = null;
      for (int b = 0; b < MAX_BACKTRACKS; b++) {
        for (int i = 0; i < n; i++) {
          next[i] = x[i] + step * dir[i];
        }
        trial = f.at(next);
        evaluations++;
        if (trial.value() <= at.value() + ARMIJO * step * slope) {
          break;
        }
        trial = null;
        step /= 2;
      }
      if (trial == null) { // no step lowers it: as low as this precision goes
        return new Result(x, at.value(), iter, evaluations, maxAbs(g) < gradientTolerance);
      }
      double[] s = new double[n];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        s[i] = next[i] - x[i];
        y[i] = trial.gradient()[i] - g[i];
      }
      double sy = dot(s, y);
      if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) { // curvature: keep the pair
        ss.addLast(s);
        ys.addLast(y);
        rhos.addLast(1 / sy);
        if (ss.size() > MEMORY) {
          ss.removeFirst();
          ys.removeFirst();
          rhos.removeFirst();
        }
      }
      x = next.clone();
      at = trial;
    }
    return new Result(
        x, at.value(), maxIterations, evaluations, maxAbs(at.gradient()) < gradientTolerance);
  }

  /** -H g, H the inverse Hessian the kept pairs approximate (the two-loop recursion). */
  private static double[] direction(
      double[] g, Deque<double[]> ss, Deque<double[]> ys, Deque<Double> rhos) {
    double[] q = g.clone();
    int m = ss.size();
    double[] alpha = new double[m];
    double[][] s = ss.toArray(new double[0][]);
    double[][] y = ys.toArray(new double[0][]);
    Double[] rho = rhos.toArray(new Double[0]);
    for (int i = m - 1; i >= 0; i--) {
      alpha[i] = rho[i] * dot(s[i], q);
      axpy(-alpha[i], y[i], q);
    }
    if (m > 0) {
      double gamma = dot(s[m - 1], y[m - 1]) / dot(y[m - 1], y[m - 1]);
      for (int i = 0; i < q.length; i++) {
        q[i] *= gamma;
      }
    }
    for (int i = 0; i < m; i++) {
      double beta = rho[i] * dot(y[i], q);
      axpy(alpha[i] - beta, s[i], q);
    }
    return negate(q);
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < y.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static double[] negate(double[] a) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = -a[i];
    }
    return out;
  }

  private static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
