package org.ser4j.data.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ser4j.data.BadRecordException;
import org.ser4j.data.Prompt;
import org.ser4j.data.Role;
import org.ser4j.data.SkipCounts;
import org.ser4j.data.SourceRef;
import org.ser4j.data.UnlabeledPair;

/**
 * An unlabeled pool: prompts with answers nobody has judged, one JSON object a line (gzip by
 * content). A record is a pair, {@code {prompt, response_a, response_b}}, or a prompt with several
 * sampled answers, {@code {prompt, responses: [...]}} (the form `ser best-of-n` reads), whose
 * answers are paired in order: the first with the second, the second with the third, and so on
 * (West-of-N then builds each prompt's best against its worst on top). The prompt is a string or a
 * list of {role, content} messages. No label is ever read: a field that carries one ({@code
 * chosen}, {@code rejected}, {@code preference}, {@code preferred}, {@code label}, {@code winner})
 * is ignored, with a warning. A malformed record is an error naming file, line and field, or, when
 * bad records are skipped ({@code --skip-bad}), counted in {@link Result#skipped()}.
 */
public final class UnlabeledReader {
  /** Fields that would carry a preference; an unlabeled pool's are ignored. */
  static final List<String> LABEL_FIELDS =
      List.of("chosen", "rejected", "preference", "preferred", "label", "winner");

  /**
   * The pool's pairs (keys 0, 1, ...), the records read, what was ignored (said once each), and the
   * bad records skipped.
   */
  public record Result(
      List<UnlabeledPair> pairs, long records, List<String> warnings, SkipCounts skipped) {
    public static Result empty() {
      return new Result(List.of(), 0, List.of(), new SkipCounts(0));
    }
  }

  private UnlabeledReader() {}

  /** Reads {@code file}; the first bad record is an error. */
  public static Result read(Path file) {
    return read(file, false);
  }

  /** Reads {@code file}; with {@code skipBad}, bad records are skipped and counted instead. */
  public static Result read(Path file, boolean skipBad) {
    List<UnlabeledPair> pairs = new ArrayList<>();
    Map<String, Integer> labelFields = new TreeMap<>();
    int sameAnswers = 0;
    SkipCounts skipped = new SkipCounts(5);
    TextInterner interner = new TextInterner(); // pools repeat prompts and answers
    try (JsonLines lines = JsonLines.open(file)) {
      while (lines.hasNext()) {
        JsonLines.Record r = lines.next();
        Parsed parsed;
        try {
          parsed = parse(r.json(), r.source());
        } catch (BadRecordException e) {
          if (!skipBad) {
            throw e;
          }
          skipped.add(e);
          continue;
        }
        parsed.labelFields().forEach(f -> labelFields.merge(f, 1, Integer::sum));
        Prompt prompt = interner.prompt(parsed.prompt());
        List<String> answers = parsed.answers().stream().map(interner::text).toList();
        for (int i = 0; i + 1 < answers.size(); i++) {
          if (answers.get(i).equals(answers.get(i + 1))) {
            sameAnswers++;
            continue;
          }
          pairs.add(
              new UnlabeledPair(
                  pairs.size(),
                  parsed.pairId(i, r.source()),
                  prompt,
                  answers.get(i),
                  answers.get(i + 1),
                  r.source()));
        }
      }
      List<String> warnings = new ArrayList<>();
      labelFields.forEach(
          (f, n) ->
              warnings.add(
                  String.format(
                      "%s: ignored field '%s' in %d record%s: an unlabeled pool's labels are never read",
                      file, f, n, n == 1 ? "" : "s")));
      if (sameAnswers > 0) {
        warnings.add(
            String.format(
                "%s: left out %d pair%s of two identical answers",
                file, sameAnswers, sameAnswers == 1 ? "" : "s"));
      }
      return new Result(pairs, lines.records(), warnings, skipped);
    }
  }

  /**
   * One pool record: its prompt, its answers in order (pair i is answer i against answer i + 1),
   * its id (null: none) and the label fields it carries, which are ignored.
   */
  public record Parsed(Prompt prompt, List<String> answers, String id, List<String> labelFields) {
    /** Pair {@code i}'s id: the record's id (else where it was), with "/i" when it has several. */
    public String pairId(int i, SourceRef source) {
      return (id != null ? id : source.toString()) + (answers.size() > 2 ? "/" + i : "");
    }
  }

  /**
   * Reads one pool record ({@code json}, found at {@code source}); a malformed one throws a {@link
   * BadRecordException} naming its source and field. Readers of the pool elsewhere (a cluster's
   * executors) parse with this too.
   */
  public static Parsed parse(JsonNode json, SourceRef source) {
    Fields fields = new Fields(source);
    Prompt prompt =
        new Prompt(
            TrlParser.turns(fields.require(json, "prompt", "prompt"), "prompt", Role.USER, fields));
    List<String> answers = answers(json, fields);
    List<String> labels = LABEL_FIELDS.stream().filter(json::has).toList();
    return new Parsed(prompt, answers, Fields.idOrNull(json, "id"), labels);
  }

  /** The record's answers: response_a and response_b, or responses. */
  private static List<String> answers(JsonNode json, Fields fields) {
    if (json.has("responses")) {
      List<JsonNode> items = fields.array(json, "responses", "responses");
      if (items.size() < 2) {
        throw fields.bad(
            "responses", "too-few-responses", "expected at least two answers, got " + items.size());
      }
      List<String> out = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        JsonNode item = items.get(i);
        String path = "responses[" + i + "]";
        out.add(
            item.isObject()
                ? fields.string(item, "response", path + ".response", true)
                : fields.text(item, path, true));
      }
      return out;
    }
    if (!json.has("response_a") && !json.has("response_b")) {
      throw fields.bad(
          "response_a",
          "missing-field",
          "missing; expected response_a and response_b (two answers), or responses (several)");
    }
    return List.of(
        fields.string(json, "response_a", "response_a", true),
        fields.string(json, "response_b", "response_b", true));
  }
}
