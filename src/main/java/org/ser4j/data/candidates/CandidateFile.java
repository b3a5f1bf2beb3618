package org.ser4j.data.candidates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;
import org.ser4j.data.SourceRef;
import org.ser4j.data.format.JsonLines;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.PairWriter;
import org.ser4j.data.format.Prompts;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.util.Json;

/**
 * Candidate files for best-of-n: JSON Lines of {@code {id?, prompt, responses: [...], scores?:
 * [...], preferred?: index, sources?: [...]}}. A file of preference pairs reads as two candidates
 * per prompt with the human's choice first.
 */
public final class CandidateFile {

  private CandidateFile() {}

  public static List<Candidates> read(Path file) {
    List<Candidates> out = new ArrayList<>();
    if (!JsonLines.firstRecordHas(file, "responses")) {
      for (PreferencePair p :
          PairReader.readAll(file, ReadOptions.defaults().withSkipBad(true)).pairs()) {
        out.add(
            new Candidates(
                p.id(), p.prompt(), List.of(p.chosen(), p.rejected()), null, 0, List.of()));
      }
      return out;
    }
    try (JsonLines lines = JsonLines.open(file)) {
      while (lines.hasNext()) {
        JsonLines.Record r = lines.next();
        out.add(parse(r.json(), r.source()));
      }
    }
    return out;
  }

  private static Candidates parse(JsonNode j, SourceRef source) {
    String where = source + ": ";
    Prompt prompt;
    try {
      prompt = Prompts.parse(j.get("prompt"), "prompt");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + e.getMessage());
    }
    List<String> texts = strings(j, "responses", where, true);
    double[] scores = null;
    if (j.hasNonNull("scores")) {
      JsonNode s = j.get("scores");
      if (!s.isArray() || s.size() != texts.size()) {
        throw new IllegalArgumentException(
            where + "field 'scores': expected an array of " + texts.size() + " numbers");
      }
      scores = new double[texts.size()];
      for (int k = 0; k < scores.length; k++) {
        if (!s.get(k).isNumber() || !Double.isFinite(s.get(k).doubleValue())) {
          throw new IllegalArgumentException(
              where + "field 'scores[" + k + "]': expected a finite number");
        }
        scores[k] = s.get(k).doubleValue();
      }
    }
    int preferred = -1;
    if (j.hasNonNull("preferred")) {
      JsonNode p = j.get("preferred");
      if (!p.isIntegralNumber() || p.intValue() < 0 || p.intValue() >= texts.size()) {
        throw new IllegalArgumentException(
            where + "field 'preferred': expected an index in [0, " + texts.size() + ")");
      }
      preferred = p.intValue();
    }
    List<String> sources =
        j.hasNonNull("sources") ? strings(j, "sources", where, false) : List.of();
    if (!sources.isEmpty() && sources.size() != texts.size()) {
      throw new IllegalArgumentException(
          where + "field 'sources': expected " + texts.size() + " names, got " + sources.size());
    }
    String id = j.hasNonNull("id") ? j.get("id").asText() : String.valueOf(source.line());
    return new Candidates(id, prompt, texts, scores, preferred, sources);
  }

  private static List<String> strings(JsonNode j, String field, String where, boolean nonEmpty) {
    JsonNode a = j.get(field);
    if (a == null || !a.isArray() || (nonEmpty && a.isEmpty())) {
      throw new IllegalArgumentException(
          where + "field '" + field + "': expected a non-empty array of strings");
    }
    List<String> out = new ArrayList<>(a.size());
    for (int k = 0; k < a.size(); k++) {
      if (!a.get(k).isTextual()) {
        throw new IllegalArgumentException(
            where + "field '" + field + "[" + k + "]': expected a string");
      }
      out.add(a.get(k).textValue());
    }
    return out;
  }

  public static ObjectNode toJson(Candidates c) {
    ObjectNode n = Json.LINE.createObjectNode();
    n.put("id", c.id());
    PairWriter.putPrompt(n, c.prompt());
    ArrayNode r = n.putArray("responses");
    c.responses().forEach(r::add);
    if (c.scores() != null) {
      ArrayNode s = n.putArray("scores");
      for (double v : c.scores()) {
        s.add(v);
      }
    }
    if (c.preferred() >= 0) {
      n.put("preferred", c.preferred());
    }
    if (!c.sources().isEmpty()) {
      ArrayNode s = n.putArray("sources");
      c.sources().forEach(s::add);
    }
    return n;
  }

  /** Writes {@code all} atomically; a name ending in .gz is gzip-compressed. */
  public static void write(Path target, List<Candidates> all) throws IOException {
    org.ser4j.util.AtomicFiles.writeGzipByName(
        target,
        out -> {
          for (Candidates c : all) {
            out.write(Json.LINE.writeValueAsBytes(toJson(c)));
            out.write('\n');
          }
        });
  }
}
