package org.ser4j.model;

import java.util.ArrayList;
import java.util.List;
import org.ser4j.encoder.TokenizedInput;

/** Preference pairs as tokenized sequences (chosen[i] preferred over rejected[i]): what a learning encoder trains on. */
public record SequencePairs(List<TokenizedInput> chosen, List<TokenizedInput> rejected) {
  public SequencePairs {
    if (chosen.size() != rejected.size()) {
      throw new IllegalArgumentException("chosen and rejected differ in size: " + chosen.size() + " vs " + rejected.size());
    }
  }

  public int size() {
    return chosen.size();
  }

  public SequencePairs select(int[] indices) {
    List<TokenizedInput> c = new ArrayList<>(indices.length);
    List<TokenizedInput> r = new ArrayList<>(indices.length);
    for (int i : indices) {
      c.add(chosen.get(i));
      r.add(rejected.get(i));
    }
    return new SequencePairs(c, r);
  }

  public SequencePairs concat(SequencePairs other) {
    List<TokenizedInput> c = new ArrayList<>(chosen);
    List<TokenizedInput> r = new ArrayList<>(rejected);
    c.addAll(other.chosen);
    r.addAll(other.rejected);
    return new SequencePairs(c, r);
  }

  /** Every sequence, chosen then rejected. */
  public List<TokenizedInput> all() {
    List<TokenizedInput> out = new ArrayList<>(chosen);
    out.addAll(rejected);
    return out;
  }
}
