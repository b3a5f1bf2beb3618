package org.ser4j.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Records skipped while reading, counted by reason, with the first few messages as examples. */
public final class SkipCounts {
  private final Map<String, Long> byReason = new TreeMap<>();
  private final List<String> examples = new ArrayList<>();
  private final int examplesKept;
  private long total;

  public SkipCounts(int examplesKept) {
    this.examplesKept = examplesKept;
  }

  public void add(BadRecordException e) {
    byReason.merge(e.reason(), 1L, Long::sum);
    total++;
    if (examples.size() < examplesKept) {
      examples.add(e.getMessage());
    }
  }

  /** Adds {@code other}'s counts and examples (several files read as one). */
  public void addAll(SkipCounts other) {
    other.byReason.forEach((reason, n) -> byReason.merge(reason, n, Long::sum));
    total += other.total;
    for (String e : other.examples) {
      if (examples.size() < Math.max(examplesKept, other.examplesKept)) {
        examples.add(e);
      }
    }
  }

  public long total() {
    return total;
  }

  public Map<String, Long> byReason() {
    return Collections.unmodifiableMap(byReason);
  }

  /** The first skipped records' messages, each naming file, line and field. */
  public List<String> examples() {
    return Collections.unmodifiableList(examples);
  }

  /** One line for a log, e.g. "skipped 9 bad records (empty-response: 4, prompt-mismatch: 5)". */
  public String summary() {
    if (total == 0) {
      return "skipped no records";
    }
    StringBuilder out =
        new StringBuilder("skipped " + total + " bad record" + (total == 1 ? "" : "s") + " (");
    String sep = "";
    for (Map.Entry<String, Long> e : byReason.entrySet()) {
      out.append(sep).append(e.getKey()).append(": ").append(e.getValue());
      sep = ", ";
    }
    return out.append(")").toString();
  }
}
