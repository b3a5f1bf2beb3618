package org.ser4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.ser4j.data.BadRecordException;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;
import org.ser4j.data.SourceRef;

/**
 * Large preference sets for scale tests, made from AlpacaEval-style judgments (prompt, chosen,
 * rejected, chosen_model, rejected_model): responses to the same prompt are paired anew, and the
 * response of the model with the higher overall win rate in the file is "chosen"; past those (about
 * 960k in AlpacaEval), an answer to another prompt is the rejected one. A proxy label, for
 * measuring time and memory at pool sizes no shared file reaches, never for accuracy claims.
 */
public final class ScalePairs {
  private ScalePairs() {}

  public static List<PreferencePair> generate(Path judgments, int count, long seed) {
    Map<String, Map<String, String>> byPrompt = new LinkedHashMap<>();
    Map<String, int[]> record = new HashMap<>(); // model -> {wins, games}
    try (JsonLines lines = JsonLines.open(judgments)) {
      while (lines.hasNext()) {
        JsonLines.Record r = lines.next();
        Fields f = new Fields(r.source());
        JsonNode j = r.json();
        String prompt;
        String winner;
        String loser;
        String chosen;
        String rejected;
        try {
          prompt = f.string(j, "prompt", "prompt", true);
          winner = f.string(j, "chosen_model", "chosen_model", true);
          loser = f.string(j, "rejected_model", "rejected_model", true);
          chosen = f.string(j, "chosen", "chosen", true);
          rejected = f.string(j, "rejected", "rejected", true);
        } catch (BadRecordException e) {
          continue; // a judgment with an empty response: no usable text to re-pair
        }
        Map<String, String> responses =
            byPrompt.computeIfAbsent(prompt, k -> new LinkedHashMap<>());
        responses.putIfAbsent(winner, chosen);
        responses.putIfAbsent(loser, rejected);
        record.computeIfAbsent(winner, k -> new int[2])[0]++;
        record.get(winner)[1]++;
        record.computeIfAbsent(loser, k -> new int[2])[1]++;
      }
    }
    Map<String, Double> winRate = new HashMap<>();
    record.forEach((m, wg) -> winRate.put(m, (double) wg[0] / wg[1]));
    List<String> prompts = new ArrayList<>(byPrompt.keySet());
    Random random = new Random(seed);
    Set<String> seen = new HashSet<>();
    List<PreferencePair> out = new ArrayList<>(count);
    long attempts = 0;
    long lastNew = 0;
    // Stops early once the prompts' re-pairings are nearly used up (AlpacaEval has about 960k).
    while (out.size() < count && attempts++ < 50L * count && attempts - lastNew < 5_000_000L) {
      String prompt = prompts.get(random.nextInt(prompts.size()));
      List<String> models = new ArrayList<>(byPrompt.get(prompt).keySet());
      String a = models.get(random.nextInt(models.size()));
      String b = models.get(random.nextInt(models.size()));
      if (a.equals(b) || winRate.get(a).equals(winRate.get(b))) {
        continue;
      }
      String better = winRate.get(a) > winRate.get(b) ? a : b;
      String worse = better.equals(a) ? b : a;
      if (!seen.add(prompt + "\u0000" + better + "\u0000" + worse)) {
        continue;
      }
      out.add(pair(prompt, byPrompt.get(prompt).get(better), byPrompt.get(prompt).get(worse), out));
      lastNew = attempts;
    }
    crossPromptFill(byPrompt, prompts, random, seen, out, count);
    if (out.size() < count) {
      throw new IllegalArgumentException(
          judgments + " holds only " + out.size() + " distinct re-pairings; asked for " + count);
    }
    return out;
  }

  /**
   * Beyond the same-prompt re-pairings: an answer to the prompt chosen over an answer to another
   * prompt (off-topic, so a safe proxy label). Texts stay the file's, so distinct texts do not
   * grow.
   */
  private static void crossPromptFill(
      Map<String, Map<String, String>> byPrompt,
      List<String> prompts,
      Random random,
      Set<String> seen,
      List<PreferencePair> out,
      int count) {
    long attempts = 0;
    while (out.size() < count && attempts++ < 50L * count) {
      int pi = random.nextInt(prompts.size());
      int qi = random.nextInt(prompts.size());
      if (pi == qi) {
        continue;
      }
      String prompt = prompts.get(pi);
      List<String> on = new ArrayList<>(byPrompt.get(prompt).keySet());
      List<String> off = new ArrayList<>(byPrompt.get(prompts.get(qi)).keySet());
      String a = on.get(random.nextInt(on.size()));
      String b = off.get(random.nextInt(off.size()));
      String chosen = byPrompt.get(prompt).get(a);
      String rejected = byPrompt.get(prompts.get(qi)).get(b);
      // Keyed by indices and model names: a key of texts would hold gigabytes at 1M pairs.
      if (chosen.equals(rejected) || !seen.add(pi + "\u0000" + a + "\u0000" + qi + "\u0000" + b)) {
        continue;
      }
      out.add(pair(prompt, chosen, rejected, out));
    }
  }

  /** The next pair of {@code out}, its line number its place. */
  private static PreferencePair pair(
      String prompt, String chosen, String rejected, List<PreferencePair> out) {
    Prompt p = Prompt.of(prompt);
    return new PreferencePair(
        PreferencePair.contentId(p, chosen, rejected),
        p,
        chosen,
        rejected,
        new SourceRef("scale-pairs", out.size() + 1));
  }
}
