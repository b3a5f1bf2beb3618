package org.ser4j.data.candidates;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;
import org.ser4j.data.format.JsonLines;

/**
 * Judged candidate sets from pairs that each set one system's answer against a reference answer
 * (AlpacaEval: every pair is {@code gpt4_1106_preview} against one of some 57 systems). Each
 * non-reference response becomes a candidate of its prompt with gold score 1 where the judge
 * preferred it over the reference, else 0. The models are read from {@code chosen_model} and {@code
 * rejected_model}.
 */
public final class ReferenceJudgments {
  private ReferenceJudgments() {}

  /** Who answered each side of one pair. */
  public record Sides(String chosenModel, String rejectedModel) {}

  /** The candidate sets, and what was left out: pairs without the reference, repeated systems. */
  public record Result(List<Candidates> candidates, int withoutReference, int repeated) {}

  /** Each record's models by line, read from the raw JSON (the pair reader keeps only texts). */
  public static Map<Long, Sides> readSides(Path file) {
    Map<Long, Sides> out = new HashMap<>();
    try (JsonLines lines = JsonLines.open(file)) {
      while (lines.hasNext()) {
        JsonLines.Record r = lines.next();
        JsonNode j = r.json();
        for (String f : new String[] {"chosen_model", "rejected_model"}) {
          if (!j.hasNonNull(f) || !j.get(f).isTextual()) {
            throw new IllegalArgumentException(
                r.source()
                    + ": field '"
                    + f
                    + "': missing; judged candidates need the model behind each side");
          }
        }
        out.put(
            r.source().line(),
            new Sides(j.get("chosen_model").textValue(), j.get("rejected_model").textValue()));
      }
    }
    return out;
  }

  /** The one model on a side of every pair, or an error naming the candidates. */
  public static String detectReference(List<PreferencePair> pairs, Map<Long, Sides> sides) {
    Set<String> common = null;
    for (PreferencePair p : pairs) {
      Sides s = sides.get(p.source().line());
      Set<String> here = new HashSet<>(List.of(s.chosenModel(), s.rejectedModel()));
      if (common == null) {
        common = here;
      } else {
        common.retainAll(here);
      }
    }
    if (common == null || common.size() != 1) {
      throw new IllegalArgumentException(
          "no single model answers in every pair ("
              + (common == null ? "no pairs" : "candidates: " + common)
              + "); name the reference with --reference MODEL");
    }
    return common.iterator().next();
  }

  public static Result candidates(
      List<PreferencePair> pairs, Map<Long, Sides> sides, String reference) {
    Map<String, Group> groups = new LinkedHashMap<>();
    int withoutReference = 0;
    int repeated = 0;
    for (PreferencePair p : pairs) {
      Sides s = sides.get(p.source().line());
      boolean chosenIsRef = s.chosenModel().equals(reference);
      boolean rejectedIsRef = s.rejectedModel().equals(reference);
      if (chosenIsRef == rejectedIsRef) {
        withoutReference++;
        continue;
      }
      String system = chosenIsRef ? s.rejectedModel() : s.chosenModel();
      Group g = groups.computeIfAbsent(p.prompt().transcript(), k -> new Group(p));
      if (!g.systems.add(system)) {
        repeated++;
        continue;
      }
      g.sources.add(system);
      g.responses.add(chosenIsRef ? p.rejected() : p.chosen());
      g.scores.add(chosenIsRef ? 0.0 : 1.0);
    }
    List<Candidates> out = new ArrayList<>(groups.size());
    for (Group g : groups.values()) {
      double[] scores = g.scores.stream().mapToDouble(Double::doubleValue).toArray();
      out.add(new Candidates(g.id, g.prompt, g.responses, scores, -1, g.sources));
    }
    return new Result(out, withoutReference, repeated);
  }

  private static final class Group {
    final String id;
    final Prompt prompt;
    final Set<String> systems = new HashSet<>();
    final List<String> sources = new ArrayList<>();
    final List<String> responses = new ArrayList<>();
    final List<Double> scores = new ArrayList<>();

    Group(PreferencePair first) {
      this.id = "p" + first.source().line();
      this.prompt = first.prompt();
    }
  }
}
