package org.ser4j.spark;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ser4j.model.head.FeatureNormalizer;
import org.ser4j.model.head.RewardHead;

/**
 * West-of-N where the pool is: with it the pool is placed on the executors by prompt (every pair of
 * a prompt in one part), so a part's candidates are found in it alone: its pool pairs not taken,
 * and for each of its prompts not built for yet, the best answer against the worst, as {@code
 * org.ser4j.ser.select.WestOfN} builds them in one process. Answers are told apart by their texts'
 * ids ({@link PoolRow#textIds}), as one process tells them apart by text.
 */
final class ExecutorWestOfN {
  private ExecutorWestOfN() {}

  /**
   * Whether a pool pair of {@code pairs} compares answers {@code a} and {@code b} (one look at the
   * two found, where one process keeps every pair's two answers in a set: at 10M pairs, 20M objects
   * a scoring).
   */
  private static boolean compares(List<Member> pairs, long a, long b) {
    for (Member m : pairs) {
      if ((m.first() == a && m.second() == b) || (m.first() == b && m.second() == a)) {
        return true;
      }
    }
    return false;
  }

  /** One pool pair of a prompt: its key, its answers' ids and rewards. */
  private record Member(int key, long first, long second, double r1, double r2) {}

  /** An answer as first seen in its prompt's pairs (read order, a pair's first answer first). */
  private record Answer(int key, boolean isFirst, double reward) {}

  /**
   * A part's candidates: its pool pairs not {@code taken}, then the built pairs of its prompts none
   * of whose pairs is in {@code builtFrom} (a prompt built for already); {@code size} pool pairs.
   */
  static Iterator<Candidate> candidates(
      Iterator<PoolRow> rows,
      RewardHead head,
      FeatureNormalizer norm,
      BitSet taken,
      BitSet builtFrom,
      long size) {
    List<Candidate> out = new ArrayList<>();
    Map<Long, List<Member>> prompts = new HashMap<>();
    while (rows.hasNext()) {
      PoolRow r = rows.next();
      double r1 = head.score(norm.apply(r.firstVector()));
      double r2 = head.score(norm.apply(r.secondVector()));
      int key = Math.toIntExact(r.order());
      if (!taken.get(key)) {
        out.add(Candidate.plain(key, r1, r2));
      }
      prompts
          .computeIfAbsent(r.promptId(), k -> new ArrayList<>())
          .add(new Member(key, r.textIds()[1], r.textIds()[2], r1, r2));
    }
    for (List<Member> pairs : prompts.values()) {
      pairs.sort((a, b) -> Integer.compare(a.key(), b.key()));
      if (pairs.stream().noneMatch(m -> builtFrom.get(m.key()))) {
        Candidate c = bestAgainstWorst(pairs, size);
        if (c != null) {
          out.add(c);
        }
      }
    }
    return out.iterator();
  }

  /**
   * A prompt's best answer against its worst, where it has three or more distinct answers and no
   * pool pair compares the two; ties go to the answer seen first. Null where none is built.
   */
  private static Candidate bestAgainstWorst(List<Member> pairs, long size) {
    Map<Long, Answer> answers = new LinkedHashMap<>();
    for (Member m : pairs) {
      answers.putIfAbsent(m.first(), new Answer(m.key(), true, m.r1()));
      answers.putIfAbsent(m.second(), new Answer(m.key(), false, m.r2()));
    }
    if (answers.size() < 3) {
      return null;
    }
    Long hi = null;
    Long lo = null;
    for (Map.Entry<Long, Answer> a : answers.entrySet()) {
      if (hi == null || a.getValue().reward() > answers.get(hi).reward()) {
        hi = a.getKey();
      }
      if (lo == null || a.getValue().reward() < answers.get(lo).reward()) {
        lo = a.getKey();
      }
    }
    if (hi.equals(lo) || compares(pairs, hi, lo)) {
      return null;
    }
    Answer best = answers.get(hi);
    Answer worst = answers.get(lo);
    return new Candidate(
        size + pairs.get(0).key(),
        best.reward(),
        worst.reward(),
        best.key(),
        best.isFirst(),
        worst.key(),
        worst.isFirst());
  }
}
