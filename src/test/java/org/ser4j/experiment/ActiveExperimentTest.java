package org.ser4j.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;
import org.ser4j.data.SourceRef;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.split.SerDataset;

/** The simulated annotator's rounds: what a strategy may see, and the first labels. */
class ActiveExperimentTest {
  private static SerDataset all(boolean flipUnasked, List<Integer> asked) {
    List<PreferencePair> pairs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String good = "a helpful answer number " + i;
      String bad = "unhelpful " + (i * 7 % 13);
      boolean flip = flipUnasked && !asked.contains(i);
      pairs.add(
          new PreferencePair(
              "p" + i,
              Prompt.of("question " + i),
              flip ? bad : good,
              flip ? good : bad,
              new SourceRef("t", i + 1)));
    }
    return new SerDataset(pairs, List.of(), null, pairs.subList(0, 2), null);
  }

  @Test
  void reversingTheGoldOfUnaskedPairsChangesNothingAStrategySees() {
    List<Integer> asked = List.of(3, 17, 5, 30);
    SerDataset a = ActiveExperiment.datasetOf(all(false, asked), asked);
    SerDataset b = ActiveExperiment.datasetOf(all(true, asked), asked);
    assertEquals(a.labeled(), b.labeled(), "the asked pairs, in the order asked");
    assertEquals(
        List.of("p3", "p17", "p5", "p30"), a.labeled().stream().map(PreferencePair::id).toList());
    assertEquals(36, a.pool().size());
    for (int k = 0; k < a.pool().size(); k++) {
      UnlabeledPair x = a.pool().get(k);
      UnlabeledPair y = b.pool().get(k);
      assertEquals(x.id(), y.id());
      assertEquals(x.first(), y.first(), "answers ordered by text, not by label");
      assertEquals(x.second(), y.second());
      assertNotEquals(a.gold().firstPreferred(x), b.gold().firstPreferred(y), "only gold differs");
    }
  }

  @Test
  void everyStrategyStartsFromTheSameSeededLabels() {
    List<Integer> s1 = ActiveExperiment.startLabels(500, 30, 42);
    assertEquals(s1, ActiveExperiment.startLabels(500, 30, 42));
    assertNotEquals(s1, ActiveExperiment.startLabels(500, 30, 43));
    assertEquals(30, s1.stream().distinct().count());
  }
}
