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
 * response of the model with the higher overall win rate in the file is "chosen". A proxy label,
 * for measuring time and memory at pool sizes no shared file reaches, never for accuracy claims.
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
    while (out.size() < count && attempts++ < 50L * count) {
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
      Prompt p = Prompt.of(prompt);
      String chosen = byPrompt.get(prompt).get(better);
      String rejected = byPrompt.get(prompt).get(worse);
      out.add(
          new PreferencePair(
              PreferencePair.contentId(p, chosen, rejected),
              p,
              chosen,
              rejected,
              new SourceRef("scale-pairs", out.size() + 1)));
    }
    if (out.size() < count) {
      throw new IllegalArgumentException(
          judgments + " holds only " + out.size() + " distinct re-pairings; asked for " + count);
    }
    return out;
  }
}
