package org.ser4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.ser4j.data.format.PairReader;
import org.ser4j.data.format.PairWriter;
import org.ser4j.data.format.ScoreRecordReader;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.RewardScorer;
import org.ser4j.model.head.HeadModel;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Json;
import org.ser4j.util.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `ser score`: rewards for every response in a file, streamed in chunks. Input records are {prompt,
 * response} (output adds "reward"), or preference pairs in any supported format (output adds
 * "reward_chosen", "reward_rejected" and "p_chosen"). Rewards are on the model's scale (see `ser
 * scale`); p_chosen is sigmoid of the raw margin.
 */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description =
        "Score responses with a reward model. --input holds {prompt, response} records or preference pairs (any format); --out gets each record with its reward(s), as JSON Lines (.gz to compress).")
public final class ScoreCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ModelOptions model;

  @Option(
      names = "--input",
      required = true,
      paramLabel = "FILE",
      description = "Records to score.")
  Path input;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Scored records, JSON Lines.")
  Path out;

  @Option(
      names = "--chunk",
      paramLabel = "N",
      defaultValue = "4096",
      description = "Records encoded per chunk (default: ${DEFAULT-VALUE}).")
  int chunk;

  @Mixin SkipBadOption skip;

  @Mixin ReadOptionsMixin read;

  @Override
  public Integer call() throws Exception {
    boolean responses = ScoreRecordReader.looksLikeScoreRecords(input);
    long[] count = new long[1];
    try (RewardScorer rm = model.open(Progress.quiet());
        Progress.Task task =
            model.runtime.progress().start("score", -1, responses ? "responses" : "pairs")) {
      AtomicFiles.writeGzipByName(
          out,
          o -> {
            if (responses) {
              try (ScoreRecordReader reader = ScoreRecordReader.open(input)) {
                count[0] =
                    scoreInChunks(
                        reader,
                        r -> List.of(new ResponseInput(r.prompt(), r.response())),
                        (r, rewards) -> {
                          ObjectNode node = Json.LINE.createObjectNode();
                          node.put("id", r.id());
                          PairWriter.putPrompt(node, r.prompt());
                          node.put("response", r.response());
                          node.put(
                              "reward",
                              rm.scaled(rewards[0], new ResponseInput(r.prompt(), r.response())));
                          return node;
                        },
                        rm,
                        o,
                        task);
              }
            } else {
              try (PairReader reader =
                  PairReader.open(input, read.toReadOptions(42, skip.skipBad))) {
                count[0] =
                    scoreInChunks(
                        reader,
                        p ->
                            List.of(
                                new ResponseInput(p.prompt(), p.chosen()),
                                new ResponseInput(p.prompt(), p.rejected())),
                        (p, rewards) -> {
                          ResponseInput chosen = new ResponseInput(p.prompt(), p.chosen());
                          ResponseInput rejected = new ResponseInput(p.prompt(), p.rejected());
                          ObjectNode node = PairWriter.toJson(p);
                          node.put("reward_chosen", rm.scaled(rewards[0], chosen));
                          node.put("reward_rejected", rm.scaled(rewards[1], rejected));
                          node.put(
                              "p_chosen",
                              HeadModel.probability(
                                  rm.corrected(rewards[0], chosen),
                                  rm.corrected(rewards[1], rejected)));
                          return node;
                        },
                        rm,
                        o,
                        task);
              }
            }
          });
    }
    PrintWriter log = spec.commandLine().getOut();
    log.println("scored " + count[0] + (responses ? " responses" : " pairs") + "; wrote " + out);
    log.flush();
    return 0;
  }

  interface Inputs<T> {
    List<ResponseInput> of(T record);
  }

  interface Output<T> {
    ObjectNode of(T record, double[] rewards);
  }

  private <T> long scoreInChunks(
      Iterator<T> records,
      Inputs<T> inputs,
      Output<T> output,
      RewardScorer rm,
      OutputStream o,
      Progress.Task task)
      throws IOException {
    long n = 0;
    List<T> batch = new ArrayList<>(chunk);
    while (true) {
      batch.clear();
      while (batch.size() < chunk && records.hasNext()) {
        batch.add(records.next());
      }
      if (batch.isEmpty()) {
        return n;
      }
      List<ResponseInput> texts = new ArrayList<>();
      for (T r : batch) {
        texts.addAll(inputs.of(r));
      }
      double[] rewards = rm.rewards(texts);
      int at = 0;
      for (T r : batch) {
        int k = inputs.of(r).size();
        double[] mine = java.util.Arrays.copyOfRange(rewards, at, at + k);
        at += k;
        o.write(Json.LINE.writeValueAsBytes(output.of(r, mine)));
        o.write('\n');
      }
      n += batch.size();
      task.step(batch.size());
    }
  }
}
