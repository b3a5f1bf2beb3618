package org.ser4j.label;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.ser4j.data.UnlabeledPair;

/**
 * Who labels what. Each annotator holds at most one pair at a time, on a lease that expires when a
 * page is abandoned; a pair is handed out until it has {@code overlap} labels (ties count, skips do
 * not) or leases, so with overlap 1 no two annotators hold the same pair. Every annotator sees a
 * pair's answers in an order drawn from the seed, the pair and the annotator, so a reload shows the
 * same page and position bias can be measured. A label is on disk before a call returns; one
 * annotator's repeated label on a pair (a retry after a lost answer) is kept once. Thread-safe: one
 * lock, since every call is short next to the disk write it waits for.
 */
public final class LabelDesk implements Closeable {
  private final LabelQueue queue;
  private final LabelLog log;
  private final int overlap;
  private final long leaseMillis;
  private final long seed;
  private final LongSupplier clock;
  private final List<Annotation> all = new ArrayList<>();
  private final List<Map<String, Annotation>> byPair = new ArrayList<>();
  private final Map<String, Lease> leases = new HashMap<>();
  private final String note;

  private record Lease(int position, long until) {}

  /** A pair as one annotator sees it. */
  public record Shown(UnlabeledPair pair, boolean aLeft) {
    public String left() {
      return aLeft ? pair.first() : pair.second();
    }

    public String right() {
      return aLeft ? pair.second() : pair.first();
    }
  }

  /** An annotator's count, and the queue's: pairs with all their labels. */
  public record Progress(int yours, int pairsDone, int pairs, int labels) {}

  /**
   * What a label or undo call did: whether the file changed (false for a repeated label already on
   * file, or an undo with nothing to take back), and what to show next (null: nothing left).
   */
  public record Saved(boolean written, Shown next) {}

  private LabelDesk(
      LabelQueue queue,
      LabelLog.Opened opened,
      int overlap,
      long leaseMillis,
      long seed,
      LongSupplier clock) {
    if (overlap < 1) {
      throw new IllegalArgumentException("--overlap must be at least 1, got " + overlap);
    }
    if (leaseMillis <= 0) {
      throw new IllegalArgumentException("a lease must last more than 0 ms");
    }
    this.queue = queue;
    this.log = opened.log();
    this.note = opened.note();
    this.overlap = overlap;
    this.leaseMillis = leaseMillis;
    this.seed = seed;
    this.clock = clock;
    for (int i = 0; i < queue.size(); i++) {
      byPair.add(new LinkedHashMap<>());
    }
    for (Annotation a : opened.annotations()) {
      if (byPair.get(queue.position(a.id())).putIfAbsent(a.annotator(), a) == null) {
        all.add(a);
      }
    }
  }

  /** Opens the label file {@code out} (created if missing) for {@code queue}. */
  public static LabelDesk open(
      LabelQueue queue, Path out, int overlap, long leaseMillis, long seed, LongSupplier clock)
      throws IOException {
    return new LabelDesk(queue, LabelLog.open(out, queue), overlap, leaseMillis, seed, clock);
  }

  /** A note on what opening the file repaired, or null. */
  public String note() {
    return note;
  }

  public int overlap() {
    return overlap;
  }

  public LabelQueue queue() {
    return queue;
  }

  /** The pair {@code annotator} should look at now, leased to them; null when none is left. */
  public synchronized Shown next(String annotator) {
    long now = clock.getAsLong();
    Lease held = leases.get(annotator);
    if (held != null && held.until > now && !byPair.get(held.position).containsKey(annotator)) {
      return lease(annotator, held.position, now);
    }
    leases.remove(annotator);
    int[] leased = new int[queue.size()];
    for (Map.Entry<String, Lease> e : leases.entrySet()) {
      if (e.getValue().until > now) {
        leased[e.getValue().position]++;
      }
    }
    for (int i = 0; i < queue.size(); i++) {
      Map<String, Annotation> labels = byPair.get(i);
      if (!labels.containsKey(annotator) && labelCount(labels) + leased[i] < overlap) {
        return lease(annotator, i, now);
      }
    }
    return null;
  }

  /**
   * Records {@code annotator}'s {@code choice} on pair {@code id} ("left"/"right" already turned
   * into a or b by the caller through {@link #shown}), then leases the next pair. A label is taken
   * even after its lease ran out: the work is not thrown away, at worst a pair gets one more label.
   */
  public synchronized Saved label(String annotator, String id, Choice choice) throws IOException {
    int i = position(id);
    boolean written = false;
    if (!byPair.get(i).containsKey(annotator)) {
      Annotation a =
          new Annotation(
              id, annotator, choice, aLeft(annotator, id), Instant.ofEpochMilli(clock.getAsLong()));
      log.append(a);
      all.add(a);
      byPair.get(i).put(annotator, a);
      written = true;
    }
    Lease held = leases.get(annotator);
    if (held != null && held.position == i) {
      leases.remove(annotator);
    }
    return new Saved(written, next(annotator));
  }

  /**
   * Takes back {@code annotator}'s last label and shows its pair again (but a skipped pair that
   * others have taken since stays theirs: the next pair is shown instead); {@code written} is false
   * when there was nothing to take back.
   */
  public synchronized Saved undo(String annotator) throws IOException {
    for (int k = all.size() - 1; k >= 0; k--) {
      Annotation a = all.get(k);
      if (a.annotator().equals(annotator)) {
        List<Annotation> rest = new ArrayList<>(all);
        rest.remove(k);
        log.rewrite(rest);
        all.remove(k);
        int i = queue.position(a.id());
        byPair.get(i).remove(annotator);
        long now = clock.getAsLong();
        if (!a.choice().isLabel()
            && labelCount(byPair.get(i)) + leasedByOthers(i, annotator, now) >= overlap) {
          return new Saved(true, next(annotator)); // others have taken the skipped pair since
        }
        return new Saved(true, lease(annotator, i, now));
      }
    }
    return new Saved(false, null);
  }

  /** How {@code annotator} sees pair {@code id}. */
  public Shown shown(String annotator, String id) {
    return new Shown(queue.get(position(id)), aLeft(annotator, id));
  }

  public synchronized Progress progress(String annotator) {
    int yours = 0;
    for (Annotation a : all) {
      if (a.annotator().equals(annotator)) {
        yours++;
      }
    }
    int done = 0;
    for (Map<String, Annotation> labels : byPair) {
      if (labelCount(labels) >= overlap) {
        done++;
      }
    }
    return new Progress(yours, done, queue.size(), all.size());
  }

  /** Every annotation on file, in the order written. */
  public synchronized List<Annotation> annotations() {
    return List.copyOf(all);
  }

  /**
   * Writes one label per pair (pairs the annotators disagree on resolved by {@code rule}), in queue
   * order, as the pairwise records `ser evolve --add-labels` reads, with each pair's votes; returns
   * how many pairs were written.
   */
  public int writeResolved(Path file, Agreement.Resolve rule) throws IOException {
    List<Annotation> labels = annotations();
    Map<String, Choice> resolved = Agreement.resolve(labels, rule);
    Map<String, Map<Choice, Integer>> votes = Agreement.votes(labels);
    int[] written = {0};
    org.ser4j.util.AtomicFiles.write(
        file,
        out -> {
          for (int i = 0; i < queue.size(); i++) {
            UnlabeledPair p = queue.get(i);
            Choice c = resolved.get(p.id());
            if (c == null) {
              continue;
            }
            com.fasterxml.jackson.databind.node.ObjectNode n = LabelLog.pairwise(p, c);
            com.fasterxml.jackson.databind.node.ObjectNode v = n.putObject("votes");
            votes.get(p.id()).forEach((choice, count) -> v.put(choice.value(), count));
            out.write(org.ser4j.util.Json.LINE.writeValueAsBytes(n));
            out.write('\n');
            written[0]++;
          }
        });
    return written[0];
  }

  private int leasedByOthers(int position, String annotator, long now) {
    int n = 0;
    for (Map.Entry<String, Lease> e : leases.entrySet()) {
      Lease l = e.getValue();
      n += l.position == position && l.until > now && !e.getKey().equals(annotator) ? 1 : 0;
    }
    return n;
  }

  private Shown lease(String annotator, int position, long now) {
    leases.put(annotator, new Lease(position, now + leaseMillis));
    UnlabeledPair p = queue.get(position);
    return new Shown(p, aLeft(annotator, p.id()));
  }

  private int position(String id) {
    int i = queue.position(id);
    if (i < 0) {
      throw new IllegalArgumentException("no pair with id \"" + id + "\" in the queue");
    }
    return i;
  }

  private static int labelCount(Map<String, Annotation> labels) {
    int n = 0;
    for (Annotation a : labels.values()) {
      if (a.choice().isLabel()) {
        n++;
      }
    }
    return n;
  }

  /** Whether response_a goes on the left: drawn from the seed, the pair and the annotator. */
  private boolean aLeft(String annotator, String id) {
    long mix = seed * 0x9E3779B97F4A7C15L + id.hashCode() * 0xC2B2AE3D27D4EB4FL;
    return new SplittableRandom(mix ^ annotator.hashCode()).nextBoolean();
  }

  @Override
  public synchronized void close() throws IOException {
    log.close();
  }
}
