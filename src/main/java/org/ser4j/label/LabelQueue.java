package org.ser4j.label;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ser4j.data.SkipCounts;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.format.UnlabeledReader;

/**
 * The pairs to label, in the order to ask them: the file `ser ask` writes, or any unlabeled pool
 * ({@code {prompt, response_a, response_b}} or {@code {prompt, responses: [...]}}). A pair is known
 * by its {@code id} (or file:line without one), which the label file repeats and by which a restart
 * finds each annotator's place; a repeated id gets a suffix (~2, ~3, ...), the same on every
 * reading.
 */
public final class LabelQueue {
  private final Path file;
  private final List<UnlabeledPair> pairs;
  private final Map<String, Integer> index = new HashMap<>();
  private final int renamed;
  private final SkipCounts skipped;

  private LabelQueue(Path file, List<UnlabeledPair> pairs, SkipCounts skipped) {
    this.file = file;
    this.skipped = skipped;
    List<UnlabeledPair> unique = new java.util.ArrayList<>(pairs.size());
    int renamed = 0;
    for (UnlabeledPair p : pairs) {
      String id = p.id();
      for (int k = 2; index.containsKey(id); k++) {
        id = p.id() + "~" + k; // the same on every reading of the file, so restarts agree
      }
      if (!id.equals(p.id())) {
        renamed++;
        p = new UnlabeledPair(p.key(), id, p.prompt(), p.first(), p.second(), p.source());
      }
      index.put(id, unique.size());
      unique.add(p);
    }
    this.pairs = List.copyOf(unique);
    this.renamed = renamed;
  }

  /** How many pairs repeated an earlier pair's id and were told apart by a suffix (~2, ~3, ...). */
  public int renamed() {
    return renamed;
  }

  /** Reads {@code file}; the answers' labels, if any, are never read. */
  public static LabelQueue read(Path file) {
    return read(file, false);
  }

  /**
   * Reads {@code file}, skipping (and counting, {@link #skipped()}) bad records when {@code
   * skipBad}, else failing on the first.
   */
  public static LabelQueue read(Path file, boolean skipBad) {
    UnlabeledReader.Result r = UnlabeledReader.read(file, skipBad);
    if (r.pairs().isEmpty()) {
      throw new IllegalArgumentException(file + ": no pair to label");
    }
    return new LabelQueue(file, r.pairs(), r.skipped());
  }

  /** The bad records skipped while reading (none unless read with skipBad). */
  public SkipCounts skipped() {
    return skipped;
  }

  public static LabelQueue of(Path file, List<UnlabeledPair> pairs) {
    return new LabelQueue(file, pairs, new SkipCounts(0));
  }

  public Path file() {
    return file;
  }

  public int size() {
    return pairs.size();
  }

  public UnlabeledPair get(int position) {
    return pairs.get(position);
  }

  /** The pair's position in the queue, or -1 for an id the queue does not hold. */
  public int position(String id) {
    Integer i = index.get(id);
    return i == null ? -1 : i;
  }
}
