package org.ser4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.junit.jupiter.api.Test;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;
import org.ser4j.data.Style;

class StyleSplitTest {
  @Test
  void markdownElementsAreCountedOnceEach() {
    String text =
        "# Title\n\nSome **bold** and __also bold__ words.\n\n- one\n* two\n+ three\n1. first\n2) second\n\n```java\ncode\n```\n#not a header\n-not an item";
    // 1 header, 5 list items, 2 fence lines, 2 bold spans.
    assertEquals(10, Style.markdownElements(text));
    assertEquals(0, Style.markdownElements("Plain prose, with a - dash and 3.5 numbers."));
    assertEquals(text.length() / 1000.0, Style.LENGTH.of(text), 0);
  }

  @Test
  void parsesTheDebiasOption() {
    assertEquals(List.of(), Style.parse("none"));
    assertEquals(List.of(Style.LENGTH, Style.MARKDOWN), Style.parse("length, markdown"));
    assertThrows(IllegalArgumentException.class, () -> Style.parse("length,length"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Style.parse("emoji"));
    assertEquals(
        "--debias: expected none or a list of length, markdown; got 'emoji'", e.getMessage());
  }

  @Test
  void splitsPairsAndCorrelatesWithinPrompts() {
    // Prompt a: three distinct answers (x shared by two pairs); prompt b: two; prompt c: one pair
    // of which both sides are the same length (in neither side of the split).
    List<PreferencePair> pairs =
        List.of(
            pair("a", "xxxxxx", "yy"), // chosen longer
            pair("a", "xxxxxx", "zzzzzzzzzz"), // chosen shorter
            pair("b", "uuu", "vvvvvvv"), // chosen shorter
            pair("c", "pp", "qq"));
    double[] rc = {2.0, 2.0, 0.5, 1.0};
    double[] rr = {1.0, 3.0, 0.1, 1.5};
    StyleSplit s = StyleSplit.of(Style.LENGTH, pairs, rc, rr);
    assertEquals(1, s.chosenMore());
    assertEquals(1.0, s.accuracyChosenMore(), 0);
    assertEquals(2, s.chosenLess());
    assertEquals(0.5, s.accuracyChosenLess(), 0);

    // Independently: distinct answers (reward, length) per prompt, centered by hand.
    double[][] a = {{2.0, 6}, {1.0, 2}, {3.0, 10}};
    double[][] b = {{0.5, 3}, {0.1, 7}};
    double[][] c = {{1.0, 2}, {1.5, 2}};
    double[] cr = new double[7];
    double[] cl = new double[7];
    int k = 0;
    for (double[][] g : new double[][][] {a, b, c}) {
      double mr = 0;
      double ml = 0;
      for (double[] x : g) {
        mr += x[0] / g.length;
        ml += x[1] / g.length;
      }
      for (double[] x : g) {
        cr[k] = x[0] - mr;
        cl[k] = x[1] - ml;
        k++;
      }
    }
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < 7; i++) {
      sxy += cr[i] * cl[i];
      sxx += cr[i] * cr[i];
      syy += cl[i] * cl[i];
    }
    assertEquals(sxy / Math.sqrt(sxx * syy), s.withinPromptCorrelation(), 1e-12);
    // Across all 7 distinct answers: the textbook Pearson correlation (lengths in thousands).
    double[] r = {2.0, 1.0, 3.0, 0.5, 0.1, 1.0, 1.5};
    double[] len = {0.006, 0.002, 0.010, 0.003, 0.007, 0.002, 0.002};
    assertEquals(new PearsonsCorrelation().correlation(r, len), s.correlation(), 1e-12);
  }

  private static PreferencePair pair(String prompt, String chosen, String rejected) {
    Prompt p = Prompt.of(prompt);
    return new PreferencePair(
        PreferencePair.contentId(p, chosen, rejected),
        p,
        chosen,
        rejected,
        new org.ser4j.data.SourceRef("test", 1));
  }
}
