package org.ser4j.ser.select;

/**
 * A test on a candidate's two rewards that every pair a rule picks passes. Where the pool is scored
 * elsewhere (a cluster's executors), only the pairs that pass travel to the rule; serializable so
 * that it ships with the scoring.
 */
@FunctionalInterface
public interface PairFilter extends java.io.Serializable {
  boolean passes(double r1, double r2);
}
