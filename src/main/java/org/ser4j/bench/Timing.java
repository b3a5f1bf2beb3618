package org.ser4j.bench;

/** Wall-clock seconds of a piece of work, the one clock every benchmark reads. */
public final class Timing {
  private Timing() {}

  /** Work timed by {@link #seconds}. */
  public interface Timed {
    void run() throws Exception;
  }

  public static double seconds(Timed work) throws Exception {
    long t0 = System.nanoTime();
    work.run();
    return since(t0);
  }

  /** Seconds since {@code t0}, a {@link System#nanoTime()} reading. */
  public static double since(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
