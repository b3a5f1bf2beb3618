package org.ser4j.label;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.format.UnlabeledReader;

/**
 * The pairs to label, in the order to ask them: the file `ser ask` writes, or any unlabeled pool
 * ({@code {prompt, response_a, response_b}} or {@code {prompt, responses: [...]}}). A pair is known
 * by its {@code id} (or file:line without one), which the label file repeats; ids must be unique,
 * since a restart finds each annotator's place by them.
 */
public final class LabelQueue {
  private final Path file;
  private final List<UnlabeledPair> pairs;
  private final Map<String, Integer> index = new HashMap<>();

  private LabelQueue(Path file, List<UnlabeledPair> pairs) {
    this.file = file;
    this.pairs = List.copyOf(pairs);
    for (UnlabeledPair p : this.pairs) {
      Integer before = index.put(p.id(), p.key());
      if (before != null) {
        throw new IllegalArgumentException(
            p.source()
                + ": field 'id': \""
                + p.id()
                + "\" is also the id of "
                + this.pairs.get(before).source()
                + "; a queue's ids must be unique");
      }
    }
  }

  /** Reads {@code file}; the answers' labels, if any, are never read. */
  public static LabelQueue read(Path file) {
    UnlabeledReader.Result r = UnlabeledReader.read(file);
    if (r.pairs().isEmpty()) {
      throw new IllegalArgumentException(file + ": no pair to label");
    }
    return new LabelQueue(file, r.pairs());
  }

  public static LabelQueue of(Path file, List<UnlabeledPair> pairs) {
    return new LabelQueue(file, pairs);
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
