package org.ser4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ser4j.data.PreferencePair;
import org.ser4j.encoder.InputStrategy;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.encoder.SequenceTokenizer;
import org.ser4j.encoder.TokenizedInput;
import org.ser4j.util.Permutations;

/** Preference pairs as tokenized sequences (chosen[i] preferred over rejected[i]): what a learning encoder trains on. */
public record SequencePairs(List<TokenizedInput> chosen, List<TokenizedInput> rejected) {
  public SequencePairs {
    if (chosen.size() != rejected.size()) {
      throw new IllegalArgumentException("chosen and rejected differ in size: " + chosen.size() + " vs " + rejected.size());
    }
  }

  /**
   * Tokenizes the pairs; {@code memo} gives a text seen before the same {@link TokenizedInput}
   * object, so cached lower-layer outputs are shared ({@link BertRewardNet#prepare}).
   */
  public static SequencePairs tokenize(List<PreferencePair> pairs, SequenceTokenizer tokenizer, InputStrategy strategy, Map<ResponseInput, TokenizedInput> memo) {
    List<TokenizedInput> c = new ArrayList<>(pairs.size());
    List<TokenizedInput> r = new ArrayList<>(pairs.size());
    for (PreferencePair p : pairs) {
      c.add(memo.computeIfAbsent(new ResponseInput(p.prompt(), p.chosen()), in -> tokenizer.sequence(in, strategy)));
      r.add(memo.computeIfAbsent(new ResponseInput(p.prompt(), p.rejected()), in -> tokenizer.sequence(in, strategy)));
    }
    return new SequencePairs(c, r);
  }

  /** {training, validation}: a seeded {@code fraction} held out (none below 20 pairs), as {@link RewardTrainer} does. */
  public SequencePairs[] split(double fraction, long seed) {
    int[] order = Permutations.of(size(), new Random(seed));
    int nVal = size() >= 20 ? (int) Math.round(fraction * size()) : 0;
    return new SequencePairs[] {select(Arrays.copyOfRange(order, nVal, size())), select(Arrays.copyOfRange(order, 0, nVal))};
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
