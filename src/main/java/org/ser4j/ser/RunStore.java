package org.ser4j.ser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.model.ModelStore;
import org.ser4j.model.TrainedModel;
import org.ser4j.util.AtomicFiles;

/**
 * A SER run directory: {@code run.json} (what was asked), {@code loop-N/model/} and {@code
 * loop-N/selected.jsonl} per loop, and {@code report.json}, rewritten after each loop. The report
 * is written last: a loop it lists is complete on disk, so a resumed run starts after it.
 */
public final class RunStore {
  public static final String RUN = "run.json";
  public static final String REPORT = "report.json";
  static final ObjectMapper JSON = ModelStore.JSON;
  private static final ObjectMapper LINE = new ObjectMapper(); // one JSON object per line

  private final Path dir;

  public RunStore(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Path loopDir(int loop) {
    return dir.resolve("loop-" + loop);
  }

  public boolean hasRun() {
    return Files.isRegularFile(dir.resolve(RUN));
  }

  public void writeRun(JsonNode run) throws IOException {
    AtomicFiles.writeString(dir.resolve(RUN), JSON.writeValueAsString(run) + "\n");
  }

  public JsonNode readRun() throws IOException {
    Path file = dir.resolve(RUN);
    if (!Files.isRegularFile(file)) {
      throw new IOException(dir + ": not a SER run directory (no " + RUN + ")");
    }
    return JSON.readTree(file.toFile());
  }

  /** A loop's selections, then its model directory. */
  void saveLoop(int loop, TrainedModel model, List<SelfLabel> selected) throws IOException {
    saveSelected(loop, selected);
    model.save(loopDir(loop).resolve("model"));
  }

  private void saveSelected(int loop, List<SelfLabel> selected) throws IOException {
    Path d = loopDir(loop);
    AtomicFiles.write(
        d.resolve("selected.jsonl"),
        out -> {
          for (SelfLabel s : selected) {
            ObjectNode n = JSON.createObjectNode();
            n.put("pool_key", s.pair().key());
            n.put("id", s.pair().id());
            n.put("first_preferred", s.firstPreferred());
            n.put("s_first", s.s1());
            n.put("s_second", s.s2());
            n.put("prompt", s.pair().prompt().transcript());
            n.put("chosen", s.chosen());
            n.put("rejected", s.rejected());
            out.write(LINE.writeValueAsBytes(n));
            out.write('\n');
          }
        });
  }

  /**
   * A self-label as saved: the pool pair's key, the label the RM gave, and the selection rule's
   * numbers s = sigmoid(reward) for the pair's first and second response.
   */
  public record SavedLabel(int poolKey, boolean firstPreferred, double sFirst, double sSecond) {
    /**
     * P(chosen over rejected) as the selection saw it: sigmoid(logit(s_chosen) -
     * logit(s_rejected)), the Bradley-Terry probability of the two rewards it thresholded.
     */
    public double confidence() {
      return SelfLabel.confidence(
          firstPreferred ? sFirst : sSecond, firstPreferred ? sSecond : sFirst);
    }
  }

  /** The pool pairs selected in {@code loop}, with the labels the RM gave. */
  public List<SavedLabel> readSelected(int loop) throws IOException {
    List<SavedLabel> out = new ArrayList<>();
    for (String line : Files.readAllLines(loopDir(loop).resolve("selected.jsonl"))) {
      if (!line.isBlank()) {
        JsonNode n = JSON.readTree(line);
        out.add(
            new SavedLabel(
                n.get("pool_key").asInt(),
                n.get("first_preferred").asBoolean(),
                n.path("s_first").asDouble(Double.NaN),
                n.path("s_second").asDouble(Double.NaN)));
      }
    }
    return out;
  }

  /** The loop whose model the run kept, as its report says. */
  public int finalLoop() throws IOException {
    Path file = dir.resolve(REPORT);
    if (!Files.isRegularFile(file)) {
      throw new IOException(dir + ": no " + REPORT + "; the run has not finished a loop");
    }
    return JSON.readTree(file.toFile()).path("final_loop").asInt();
  }

  public TrainedModel loadModel(int loop) throws IOException {
    return ModelStore.load(loopDir(loop).resolve("model"));
  }

  void writeReport(ObjectNode report) throws IOException {
    AtomicFiles.writeString(dir.resolve(REPORT), JSON.writeValueAsString(report) + "\n");
  }

  /** The loops already complete on disk (empty for a new run). */
  List<LoopReport> readLoops() throws IOException {
    Path file = dir.resolve(REPORT);
    List<LoopReport> loops = new ArrayList<>();
    if (Files.isRegularFile(file)) {
      for (JsonNode n : JSON.readTree(file.toFile()).path("loops")) {
        loops.add(JSON.treeToValue(n, LoopReport.class));
      }
    }
    return loops;
  }

  /** Why a finished run stopped, as its report says. */
  String stopReason() throws IOException {
    return JSON.readTree(dir.resolve(REPORT).toFile()).path("stop_reason").asText();
  }

  boolean finished() throws IOException {
    Path file = dir.resolve(REPORT);
    return Files.isRegularFile(file)
        && JSON.readTree(file.toFile()).path("finished").asBoolean(false);
  }
}
