package org.ser4j.data.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ser4j.data.PreferencePair;

class ScalePairsTest {
  @TempDir Path dir;

  /** Three prompts, three models each (m2 beats m1 beats m0 everywhere). */
  private Path judgments() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      for (int[] w : new int[][] {{2, 1}, {1, 0}, {2, 0}}) {
        lines.add(
            String.format(
                "{\"prompt\":\"q%d\",\"chosen\":\"a%d-%d\",\"rejected\":\"a%d-%d\",\"chosen_model\":\"m%d\",\"rejected_model\":\"m%d\"}",
                p, p, w[0], p, w[1], w[0], w[1]));
      }
    }
    Path f = dir.resolve("judgments.jsonl");
    Files.write(f, lines);
    return f;
  }

  @Test
  void pastTheSamePromptPairsAnAnswerToAnotherPromptIsTheRejectedOne() throws IOException {
    List<PreferencePair> pairs = ScalePairs.generate(judgments(), 30, 1);
    assertEquals(30, pairs.size());
    Set<String> seen = new HashSet<>();
    int samePrompt = 0;
    for (PreferencePair p : pairs) {
      String prompt = p.prompt().lastTurn().substring(1); // "q1" -> "1"
      assertTrue(seen.add(p.chosen() + "|" + p.rejected() + "|" + prompt), "repeated: " + p);
      assertTrue(p.chosen().startsWith("a" + prompt + "-"), "chosen answers its prompt: " + p);
      if (p.rejected().startsWith("a" + prompt + "-")) {
        samePrompt++;
        // Within a prompt the better model's answer is chosen.
        assertTrue(p.chosen().compareTo(p.rejected()) > 0, p.toString());
      }
    }
    assertEquals(9, samePrompt, "every same-prompt re-pairing first");
    for (int i = 0; i < 9; i++) {
      String prompt = pairs.get(i).prompt().lastTurn().substring(1);
      assertTrue(pairs.get(i).rejected().startsWith("a" + prompt + "-"), "same-prompt come first");
    }
  }
}
