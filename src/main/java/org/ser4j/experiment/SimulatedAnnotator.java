package org.ser4j.experiment;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.ser4j.data.GoldLabels;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.split.SerDataset;
import org.ser4j.ser.ask.Asker;

/**
 * A person who answers from the data's gold labels only when asked. It holds every training label
 * of one split and the positions asked so far; a round's data ({@link #dataset()}) shows the asked
 * pairs as the labeled seed and the rest as a pool whose answers are ordered by their text, so that
 * nothing a strategy sees depends on a label that was not asked.
 */
public final class SimulatedAnnotator {
  private final SerDataset all;
  private final List<Integer> known;
  private SerDataset round;

  /** {@code all}: every training label, held back; {@code start}: the positions known at first. */
  public SimulatedAnnotator(SerDataset all, List<Integer> start) {
    this.all = all;
    this.known = new ArrayList<>(start);
  }

  /** How many labels have been given. */
  public int labels() {
    return known.size();
  }

  /** This round's data: the known pairs as the seed (in the order asked), the rest as the pool. */
  public SerDataset dataset() {
    if (round == null) {
      round = datasetOf(all, known);
    }
    return round;
  }

  /** Answers {@code questions}, pairs of {@link #dataset()}'s pool: their gold labels join. */
  public void answer(List<Asker.Question> questions) {
    int[] original = poolToTraining(all.labeled().size(), known);
    for (Asker.Question q : questions) {
      known.add(original[q.pair().key()]);
    }
    round = null;
  }

  /**
   * The data a round sees: the {@code known} training pairs as its labeled seed (in the order they
   * were asked), the rest as its pool, each pool pair's answers ordered by their text (so that the
   * pool reads the same whatever its gold labels say), the gold labels kept apart for measuring
   * self-label precision only.
   */
  static SerDataset datasetOf(SerDataset all, List<Integer> known) {
    List<PreferencePair> train = all.labeled();
    BitSet isKnown = new BitSet();
    known.forEach(isKnown::set);
    List<PreferencePair> labeled = new ArrayList<>(known.size());
    known.forEach(i -> labeled.add(train.get(i)));
    List<UnlabeledPair> pool = new ArrayList<>();
    BitSet firstPreferred = new BitSet();
    for (int i = 0; i < train.size(); i++) {
      if (isKnown.get(i)) {
        continue;
      }
      PreferencePair p = train.get(i);
      boolean chosenFirst = p.chosen().compareTo(p.rejected()) <= 0;
      firstPreferred.set(pool.size(), chosenFirst);
      pool.add(
          new UnlabeledPair(
              pool.size(),
              p.id(),
              p.prompt(),
              chosenFirst ? p.chosen() : p.rejected(),
              chosenFirst ? p.rejected() : p.chosen(),
              p.source()));
    }
    return new SerDataset(
        labeled, pool, new GoldLabels(firstPreferred, pool.size()), all.test(), all.counts());
  }

  /** Each round pool key's training position (the pool lists the unknown pairs in order). */
  private static int[] poolToTraining(int n, List<Integer> known) {
    BitSet isKnown = new BitSet();
    known.forEach(isKnown::set);
    int[] out = new int[n - isKnown.cardinality()];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (!isKnown.get(i)) {
        out[k++] = i;
      }
    }
    return out;
  }
}
