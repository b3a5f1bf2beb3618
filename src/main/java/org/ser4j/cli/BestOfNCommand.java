package org.ser4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ser4j.data.JsonLines;
import org.ser4j.data.PairReader;
import org.ser4j.data.PairWriter;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;
import org.ser4j.data.Prompts;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.RewardScale;
import org.ser4j.model.RewardScorer;
import org.ser4j.util.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `ser best-of-n`: rerank candidates with the reward model. Input: {prompt, responses: [...],
 * preferred?: index of the human's choice}, or preference pairs (two candidates, the human chose
 * "chosen"). Output: each prompt with its rewards and the pick.
 */
@Command(
    name = "best-of-n",
    mixinStandardHelpOptions = true,
    description =
        "Pick the best of N candidate responses per prompt. --input: {prompt, responses: [...], preferred?: index} records, or preference pairs; writes {id, prompt, rewards, best_index, best} lines and reports agreement with the human choice where there is one.")
public final class BestOfNCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ModelOptions model;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "FILE",
      description = "Candidates to rank.")
  Path input;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the picks (JSON Lines).")
  Path out;

  /** One prompt and its candidates; {@code preferred} is -1 when no human chose. */
  record Candidates(String id, Prompt prompt, List<String> responses, int preferred) {}

  @Override
  public Integer call() throws Exception {
    List<Candidates> all = read();
    List<ResponseInput> inputs = new ArrayList<>();
    for (Candidates c : all) {
      c.responses().forEach(r -> inputs.add(new ResponseInput(c.prompt(), r)));
    }
    double[] rewards;
    RewardScale scale;
    try (RewardScorer scorer = model.open(model.runtime.progress())) {
      rewards = scorer.rewards(inputs);
      scale = scorer.scale();
    }
    int at = 0;
    int judged = 0;
    int agree = 0;
    List<ObjectNode> lines = new ArrayList<>();
    for (Candidates c : all) {
      int best = 0;
      ObjectNode n = JSON.createObjectNode();
      n.put("id", c.id());
      PairWriter.putPrompt(n, c.prompt());
      ArrayNode r = n.putArray("rewards");
      for (int k = 0; k < c.responses().size(); k++) {
        r.add(scale.apply(rewards[at + k]));
        if (rewards[at + k] > rewards[at + best]) {
          best = k;
        }
      }
      at += c.responses().size();
      n.put("best_index", best);
      n.put("best", c.responses().get(best));
      if (c.preferred() >= 0) {
        judged++;
        agree += best == c.preferred() ? 1 : 0;
        n.put("human_index", c.preferred());
      }
      lines.add(n);
    }
    AtomicFiles.write(
        out,
        o -> {
          for (ObjectNode n : lines) {
            o.write(JSON.writeValueAsBytes(n));
            o.write('\n');
          }
        });
    PrintWriter log = spec.commandLine().getOut();
    log.printf(Locale.ROOT, "prompts: %d, candidates: %d%n", all.size(), inputs.size());
    if (judged > 0) {
      log.printf(
          Locale.ROOT,
          "agreement with the human choice: %.4f (%d of %d prompts)%n",
          (double) agree / judged,
          agree,
          judged);
    }
    log.println("wrote " + out);
    log.flush();
    return 0;
  }

  private List<Candidates> read() {
    List<Candidates> out = new ArrayList<>();
    if (!JsonLines.firstRecordHas(input, "responses")) {
      // Preference pairs: two candidates, the human chose the first.
      for (PreferencePair p :
          PairReader.readAll(input, org.ser4j.data.ReadOptions.defaults().withSkipBad(true))
              .pairs()) {
        out.add(new Candidates(p.id(), p.prompt(), List.of(p.chosen(), p.rejected()), 0));
      }
      return out;
    }
    try (JsonLines lines = JsonLines.open(input)) {
      while (lines.hasNext()) {
        JsonLines.Record r = lines.next();
        JsonNode j = r.json();
        String where = r.source() + ": ";
        Prompt prompt;
        try {
          prompt = Prompts.parse(j.get("prompt"), "prompt");
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + e.getMessage());
        }
        JsonNode responses = j.get("responses");
        if (responses == null || !responses.isArray() || responses.isEmpty()) {
          throw new IllegalArgumentException(
              where + "field 'responses': expected a non-empty array of strings");
        }
        List<String> texts = new ArrayList<>();
        for (int k = 0; k < responses.size(); k++) {
          if (!responses.get(k).isTextual()) {
            throw new IllegalArgumentException(
                where + "field 'responses[" + k + "]': expected a string");
          }
          texts.add(responses.get(k).textValue());
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
        String id = j.hasNonNull("id") ? j.get("id").asText() : String.valueOf(r.source().line());
        out.add(new Candidates(id, prompt, texts, preferred));
      }
    }
    return out;
  }
}
