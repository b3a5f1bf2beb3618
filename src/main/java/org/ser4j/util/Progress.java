package org.ser4j.util;

import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long work (items/s and ETA) on stderr: a live bar on a terminal, a line every few
 * seconds in a log, nothing when quiet.
 */
public interface Progress {
  /** One task's progress; close it when the task ends. */
  interface Task extends AutoCloseable {
    void step(long n);

    void message(String extra);

    @Override
    void close();
  }

  Task start(String name, long total, String unit);

  static Progress quiet() {
    return (name, total, unit) ->
        new Task() {
          @Override
          public void step(long n) {}

          @Override
          public void message(String extra) {}

          @Override
          public void close() {}
        };
  }

  static Progress console() {
    return (name, total, unit) -> {
      ProgressBarBuilder builder =
          new ProgressBarBuilder()
              .setTaskName(name)
              .setInitialMax(total)
              .setUnit(" " + unit, 1)
              .showSpeed()
              .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS)
              .setEtaFunction(
                  state ->
                      java.util.Optional.ofNullable(
                          eta(state.getCurrent(), state.getMax(), state.getTotalElapsed())))
              .setStyle(ProgressBarStyle.ASCII);
      if (System.console() == null) {
        builder
            .setUpdateIntervalMillis(5000)
            .setConsumer(new DelegatingProgressBarConsumer(newLinesOnly(System.err::println), 100));
      } else {
        builder.setConsumer(new ConsoleProgressBarConsumer(System.err));
      }
      ProgressBar bar = builder.build();
      return new Task() {
        @Override
        public void step(long n) {
          bar.stepBy(n);
        }

        @Override
        public void message(String extra) {
          bar.setExtraMessage(" " + extra); // apart from the speed it follows
        }

        @Override
        public void close() {
          bar.close();
        }
      };
    };
  }

  /**
   * {@code shown}, except while hidden (hidings nest): the bars of single fits while they are steps
   * of a larger task that has its own bar.
   */
  static Hideable hideable(Progress shown) {
    return new Hideable(shown);
  }

  /** See {@link #hideable}. */
  final class Hideable implements Progress {
    private final Progress shown;
    private volatile int hidden; // read by fits on other threads (the decision folds)

    private Hideable(Progress shown) {
      this.shown = shown;
    }

    @Override
    public Task start(String name, long total, String unit) {
      return (hidden > 0 ? quiet() : shown).start(name, total, unit);
    }

    /** Runs {@code work} as one task of {@code steps} steps, with every bar it starts hidden. */
    public <E extends Exception> void asOneTask(
        String name, long steps, String unit, TaskWork<E> work) throws E {
      try (Task task = start(name, steps, unit)) {
        hidden++;
        try {
          work.run(task);
        } finally {
          hidden--;
        }
      }
    }
  }

  /** Work that reports its steps to {@code task}. */
  interface TaskWork<E extends Exception> {
    void run(Task task) throws E;
  }

  /**
   * {@code out} without a line equal to the one before: progressbar 0.10 renders a closing bar
   * twice (its update thread's last tick, then close), which a log shows as two lines.
   */
  private static java.util.function.Consumer<String> newLinesOnly(
      java.util.function.Consumer<String> out) {
    java.util.concurrent.atomic.AtomicReference<String> last =
        new java.util.concurrent.atomic.AtomicReference<>();
    return line -> {
      if (!line.equals(last.getAndSet(line))) {
        out.accept(line);
      }
    };
  }

  private static Duration eta(long done, long max, Duration elapsed) {
    if (done <= 0 || max <= 0) {
      return null;
    }
    return Duration.ofMillis((long) (elapsed.toMillis() * (double) (max - done) / done));
  }
}
