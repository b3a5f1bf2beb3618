package org.ser4j.model.finetune;

import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.PreferencePair;
import org.ser4j.encoder.InputStrategy;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.encoder.SequenceTokenizer;
import org.ser4j.encoder.TokenizedInput;

/**
 * Preference pairs as tokenized sequences (chosen[i] preferred over rejected[i]): what a learning
 * encoder trains on.
 */
public record SequencePairs(List<TokenizedInput> chosen, List<TokenizedInput> rejected) {
  public SequencePairs {
    if (chosen.size() != rejected.size()) {
      throw new IllegalArgumentException(
          "chosen and rejected differ in size: " + chosen.size() + " vs " + rejected.size());
    }
  }

  /**
   * Tokenizes the pairs (the lower-layer cache is keyed by content, so a text tokenized twice still
   * hits).
   */
  public static SequencePairs tokenize(
      List<PreferencePair> pairs, SequenceTokenizer tokenizer, InputStrategy strategy) {
    List<TokenizedInput> c = new ArrayList<>(pairs.size());
    List<TokenizedInput> r = new ArrayList<>(pairs.size());
    for (PreferencePair p : pairs) {
      c.add(tokenizer.sequence(new ResponseInput(p.prompt(), p.chosen()), strategy));
      r.add(tokenizer.sequence(new ResponseInput(p.prompt(), p.rejected()), strategy));
    }
    return new SequencePairs(c, r);
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
