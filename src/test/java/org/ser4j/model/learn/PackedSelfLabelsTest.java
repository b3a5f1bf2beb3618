package org.ser4j.model.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.data.Prompt;
import org.ser4j.data.UnlabeledPair;

/** Self-labels held as columns read back as the labels that went in, and snapshots stay put. */
class PackedSelfLabelsTest {
  static final List<Comparison> PAIRS = new ArrayList<>();

  static {
    for (int k = 0; k < 500; k++) {
      PAIRS.add(Comparison.of(new UnlabeledPair(k, "p" + k, Prompt.of("q"), "a" + k, "b", null)));
    }
  }

  static List<SelfLabel> labels(int n, long seed) {
    Random rng = new Random(seed);
    List<SelfLabel> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Comparison c = PAIRS.get(rng.nextInt(PAIRS.size()));
      if (i % 5 == 0) { // a built (West-of-N) comparison: answers of two pairs, either side
        c =
            new Comparison(
                new Comparison.Answer(c.first().pair(), rng.nextBoolean()),
                new Comparison.Answer(
                    PAIRS
                        .get((c.key() + 1 + rng.nextInt(PAIRS.size() - 1)) % PAIRS.size())
                        .first()
                        .pair(),
                    rng.nextBoolean()));
      }
      out.add(
          i % 7 == 0
              ? new SelfLabel(c, rng.nextBoolean(), Double.NaN, Double.NaN, 2)
              : SelfLabel.of(c, rng.nextDouble(), rng.nextDouble(), 1 + rng.nextInt(3)));
    }
    return out;
  }

  @Test
  void theColumnsReadBackAsTheLabelsThatWentIn() {
    List<SelfLabel> plain = labels(1000, 1);
    PackedSelfLabels packed = PackedSelfLabels.of(plain, PAIRS::get);
    assertEquals(plain, packed);
    assertEquals(plain, new ArrayList<>(packed));
    assertEquals(plain.hashCode(), packed.hashCode());
  }

  @Test
  void aSnapshotStaysAsItWasWhileTheListGrows() {
    List<SelfLabel> first = labels(100, 2);
    PackedSelfLabels packed = PackedSelfLabels.of(first, PAIRS::get);
    PackedSelfLabels snapshot = packed.snapshot();
    packed.addAll(labels(1000, 3)); // grows its arrays, and writes past the snapshot's end
    assertEquals(first, snapshot);
    assertEquals(1100, packed.size());
    assertThrows(UnsupportedOperationException.class, () -> snapshot.add(first.get(0)));
    assertEquals(first, new TrainingSet(new int[0], packed.subList(0, 100)).selfLabeled());
    assertEquals(packed, new TrainingSet(new int[0], packed).selfLabeled());
  }

  @Test
  void labelsPastTheHeapsBlockLiveInASpillFileThatIsGoneAsItIsOpened(@TempDir Path dir)
      throws java.io.IOException {
    List<SelfLabel> plain = labels(3 * 65_536 + 123, 4); // the heap's block and three mapped
    PackedSelfLabels packed = new PackedSelfLabels(PAIRS::get, dir);
    packed.addAll(plain.subList(0, 70_000));
    PackedSelfLabels snapshot = packed.snapshot();
    packed.addAll(plain.subList(70_000, plain.size()));
    assertEquals(plain, packed);
    assertEquals(plain.subList(0, 70_000), snapshot);
    assertEquals(plain.get(plain.size() - 1), packed.get(plain.size() - 1));
    try (var files = java.nio.file.Files.list(dir)) {
      assertEquals(0, files.count(), "the spill file is deleted once open");
    }
  }

  @Test
  void aBuiltPairKeepsWhichAnswersItTakes() {
    Comparison built = new Comparison(PAIRS.get(1).second(), PAIRS.get(2).first());
    PackedSelfLabels packed = new PackedSelfLabels(PAIRS::get);
    packed.add(new SelfLabel(built, false, 0.25, 0.75, 3));
    SelfLabel back = packed.get(0);
    assertEquals(built, back.pair());
    assertEquals("a2", back.chosen()); // the second answer: pair 2's first
    assertEquals("b", back.rejected()); // the first: pair 1's second
    assertEquals(0.75, back.s2());
    assertEquals(3, back.loop());
  }

  @Test
  void aPoolPairsAnswersOutOfOrderAreRefused() {
    Comparison swapped = new Comparison(PAIRS.get(1).second(), PAIRS.get(1).first());
    PackedSelfLabels packed = new PackedSelfLabels(PAIRS::get);
    assertThrows(
        IllegalArgumentException.class, () -> packed.add(SelfLabel.of(swapped, 0.9, 0.1, 1)));
  }
}
