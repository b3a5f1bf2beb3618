package org.ser4j.ser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.split.SerDataset;
import org.ser4j.model.ModelStore;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.Comparison;
import org.ser4j.model.learn.SelfLabel;
import org.ser4j.ser.select.Pool;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Json;

/**
 * A SER run directory: {@code run.json} (what was asked), {@code loop-N/model/} and {@code
 * loop-N/selected.jsonl} per loop, and {@code report.json}, rewritten after each loop. The report
 * is written last: a loop it lists is complete on disk, so a resumed run starts after it.
 */
public final class RunStore {
  public static final String RUN = "run.json";
  public static final String REPORT = "report.json";

  /** The run's model to ship: a copy of the kept loop's model directory, written when it stops. */
  public static final String FINAL = "final";

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

  public void writeRun(RunSettings run) throws IOException {
    AtomicFiles.writeString(
        dir.resolve(RUN), Json.CANONICAL.writeValueAsString(run.toJson()) + "\n");
  }

  /** run.json's tree, as written. */
  public JsonNode readRun() throws IOException {
    Path file = dir.resolve(RUN);
    if (!Files.isRegularFile(file)) {
      throw new IOException(dir + ": not a SER run directory (no " + RUN + ")");
    }
    return Json.CANONICAL.readTree(file.toFile());
  }

  /**
   * What `ser evolve --resume` runs: this run's settings, with the labels people gave in {@code
   * addedLabels} (null: none) joining its data. Labels can be added only to a run on your own data;
   * the caller writes the new settings once the file has been read whole.
   */
  public RunSettings resumeSettings(int defaultHeads, Path addedLabels) throws IOException {
    RunSettings run = settings(defaultHeads);
    if (addedLabels == null) {
      return run;
    }
    if (!run.data().ownData()) {
      throw new IllegalArgumentException(
          dir
              + " is an experiment run (--train); labels can be added only to a run on your own"
              + " data (--labeled, --unlabeled)");
    }
    return run.withData(run.data().withAddedLabels(addedLabels));
  }

  /** A store for a new run in {@code dir}, which must not hold one already. */
  public static RunStore fresh(Path dir) {
    RunStore store = new RunStore(dir);
    if (store.hasRun()) {
      throw new IllegalArgumentException(
          dir + " already holds a run; use --resume " + dir + " or another --out");
    }
    return store;
  }

  /** The run's settings; {@code defaultHeads} for a frozen run, which records none. */
  public RunSettings settings(int defaultHeads) throws IOException {
    return RunSettings.of(readRun(), defaultHeads);
  }

  /**
   * The run directory {@code dir} for {@code settings}: new (run.json written), or one that holds a
   * run with the same settings (reused: it resumes or is finished); one with other settings is
   * refused, naming them.
   */
  public static RunStore reuseOrCreate(Path dir, RunSettings settings) throws IOException {
    RunStore store = new RunStore(dir);
    if (!store.hasRun()) {
      store.writeRun(settings);
      return store;
    }
    ObjectNode recorded = (ObjectNode) store.readRun();
    // Read through the current settings type, so a run recorded before a setting existed
    // compares with that setting's default (and as text, so number types compare alike).
    recorded.set("ser", Json.PRETTY.valueToTree(RunSettings.of(recorded, 0).ser()));
    JsonNode existing = Json.PRETTY.readTree(Json.PRETTY.writeValueAsString(recorded));
    JsonNode wanted = Json.PRETTY.readTree(Json.PRETTY.writeValueAsString(settings.toJson()));
    if (!existing.equals(wanted)) {
      List<String> differ = new ArrayList<>();
      wanted
          .fieldNames()
          .forEachRemaining(
              k -> {
                if (!wanted.get(k).equals(existing.get(k))) {
                  differ.add(k);
                }
              });
      throw new IllegalArgumentException(
          dir + " holds a run with other settings (" + String.join(", ", differ) + ")");
    }
    return store;
  }

  /** A loop's selections (their texts where {@code pool} keeps them), then its model directory. */
  void saveLoop(int loop, TrainedModel model, List<SelfLabel> selected, Pool pool)
      throws IOException {
    saveSelected(loop, selected, pool);
    model.save(loopDir(loop).resolve("model"));
  }

  private void saveSelected(int loop, List<SelfLabel> selected, Pool pool) throws IOException {
    Path file = loopDir(loop).resolve(SELECTED);
    if (Files.isDirectory(file)) { // parts an earlier try wrote: one file replaces them
      AtomicFiles.deleteTree(file);
    }
    pool.writeWithTexts(file, selected, RunStore::selectedLine);
  }

  /** A loop's self-labels: one file, or a directory of part files read in name order. */
  public static final String SELECTED = "selected.jsonl";

  /** A self-label with its pair's texts as a line of {@value #SELECTED}, without the newline. */
  public static byte[] selectedLine(SelfLabel s) throws IOException {
    ObjectNode n = Json.CANONICAL.createObjectNode();
    Comparison c = s.pair();
    n.put("pool_key", c.key());
    n.put("id", c.id());
    // The same pair's id in any file, run or engine (a resumed run finds its pairs by it).
    n.put("content_id", contentId(c.first().pair()));
    if (c.built()) { // West-of-N: which answers of which two pool pairs
      n.put("first_answer", side(c.first()));
      n.put("second_pool_key", c.second().pair().key());
      n.put("second_content_id", contentId(c.second().pair()));
      n.put("second_answer", side(c.second()));
    }
    n.put("first_preferred", s.firstPreferred());
    n.put("s_first", s.s1());
    n.put("s_second", s.s2());
    n.put("prompt", s.pair().prompt().transcript());
    n.put("chosen", s.chosen());
    n.put("rejected", s.rejected());
    return Json.LINE.writeValueAsBytes(n);
  }

  /**
   * The lines of a loop's {@value #SELECTED} ({@code file}): the file's, or, where the executors
   * wrote it as a directory of part files, the parts' in name order; blank lines left out.
   */
  public static void forEachSelectedLine(Path file, LineReader each) throws IOException {
    List<Path> parts;
    if (Files.isDirectory(file)) {
      try (var s = Files.list(file)) {
        parts =
            s.filter(p -> p.getFileName().toString().startsWith("part-"))
                .sorted(java.util.Comparator.comparing(p -> p.getFileName().toString()))
                .toList();
      }
    } else {
      parts = List.of(file);
    }
    for (Path part : parts) {
      try (var in = Files.newBufferedReader(part)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (!line.isBlank()) {
            each.accept(line);
          }
        }
      }
    }
  }

  /** See {@link #forEachSelectedLine}. */
  public static List<String> selectedLines(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    forEachSelectedLine(file, out::add);
    return out;
  }

  /** Where {@link #forEachSelectedLine} hands each line. */
  @FunctionalInterface
  public interface LineReader {
    void accept(String line) throws IOException;
  }

  private static String contentId(UnlabeledPair p) {
    return org.ser4j.data.ContentId.hex(
        org.ser4j.data.ContentId.of(p.prompt(), p.first(), p.second()));
  }

  private static String side(Comparison.Answer a) {
    return a.isFirst() ? "first" : "second";
  }

  /**
   * A self-label as saved: the pool pair's key, the label the RM gave, and the selection rule's
   * numbers s = sigmoid(reward) for the comparison's first and second response; for a built
   * (West-of-N) comparison also which answer of pair {@code poolKey} is its first, and the pair and
   * answer of its second ({@code builtFrom} null for a plain pool pair).
   */
  public record SavedLabel(
      int poolKey,
      boolean firstPreferred,
      double sFirst,
      double sSecond,
      BuiltFrom builtFrom,
      Long contentId) {
    /**
     * A built comparison's answers: pair {@code poolKey}'s {@code firstIsFirst} answer, then pair
     * {@code secondKey}'s (content id {@code secondContentId}, null in files of older runs).
     */
    public record BuiltFrom(
        boolean firstIsFirst, int secondKey, boolean secondIsFirst, Long secondContentId) {}

    /** The comparison over {@code pool}'s pairs (by key); null where a key is not in it. */
    public Comparison comparison(java.util.function.IntFunction<UnlabeledPair> pool) {
      UnlabeledPair a = pool.apply(poolKey);
      if (builtFrom == null) {
        return a == null ? null : Comparison.of(a);
      }
      UnlabeledPair b = pool.apply(builtFrom.secondKey());
      return a == null || b == null
          ? null
          : new Comparison(
              new Comparison.Answer(a, builtFrom.firstIsFirst()),
              new Comparison.Answer(b, builtFrom.secondIsFirst()));
    }

    /**
     * The comparison over {@code pool}'s pairs (by key), read from {@code file}; an error naming
     * the file and the key where a key is not in the pool (the data changed since the run).
     */
    public Comparison comparisonIn(java.util.function.IntFunction<UnlabeledPair> pool, Path file) {
      Comparison c = comparison(pool);
      if (c == null) {
        throw new IllegalStateException(
            file
                + ": pool key "
                + poolKey
                + (builtFrom == null ? "" : " or " + builtFrom.secondKey())
                + " is not in the run's pool; was the data file changed since the run?");
      }
      return c;
    }
  }

  /**
   * The self-labels that loops 1 to {@code loops - 1} saved and that still stand over {@code pool}:
   * less those of pairs people have labeled since ({@code added}), which count as contradicted
   * where the person disagreed.
   */
  public Standing standingSelfLabels(SerDataset.AddedLabels added, int loops, Pool pool)
      throws IOException {
    List<SelfLabel> standing = new ArrayList<>();
    int contradicted = 0;
    List<List<SavedLabel>> saved = new ArrayList<>();
    for (int loop = 1; loop < loops; loop++) {
      saved.add(readSelected(loop));
    }
    List<SavedLabel> all = saved.stream().flatMap(List::stream).toList();
    // Every pool pair the labels name, a built label's two: by saved key and content id.
    IntStream.Builder keys = IntStream.builder();
    LongStream.Builder ids = LongStream.builder();
    for (SavedLabel s : all) {
      keys.add(s.poolKey());
      ids.add(s.contentId() == null ? 0 : s.contentId());
      if (s.builtFrom() != null) {
        keys.add(s.builtFrom().secondKey());
        Long second = s.builtFrom().secondContentId();
        ids.add(second == null ? 0 : second);
      }
    }
    java.util.function.IntFunction<UnlabeledPair> find =
        pool.saved(keys.build().toArray(), ids.build().toArray());
    for (int loop = 1; loop < loops; loop++) {
      for (SavedLabel s : saved.get(loop - 1)) {
        Comparison c = s.comparisonIn(find, loopDir(loop).resolve(SELECTED));
        Boolean human = c.built() ? null : added.onPool().get(c.key());
        if (human != null) { // the person's label is in the seed now
          contradicted += human == s.firstPreferred() ? 0 : 1;
          continue;
        }
        standing.add(new SelfLabel(c, s.firstPreferred(), Double.NaN, Double.NaN, loop));
      }
    }
    return new Standing(standing, contradicted);
  }

  /**
   * The pool pairs of {@code data} nobody has answered yet: neither labeled by people nor
   * self-labeled by a saved loop (what `ser ask` may ask about).
   */
  public List<UnlabeledPair> unanswered(SerDataset data) throws IOException {
    java.util.BitSet answered = data.added().poolKeys();
    for (int loop = 1; loop < loopCount(); loop++) {
      for (SavedLabel s : readSelected(loop)) {
        if (s.builtFrom() == null) {
          answered.set(s.poolKey()); // self-labeled: the RM has answered it
        }
      }
    }
    return data.pool().stream().filter(p -> !answered.get(p.key())).toList();
  }

  /** See {@link #standingSelfLabels}. */
  public record Standing(List<SelfLabel> labels, int contradicted) {}

  /** The pool pairs selected in {@code loop}, with the labels the RM gave. */
  public List<SavedLabel> readSelected(int loop) throws IOException {
    List<SavedLabel> out = new ArrayList<>();
    forEachSelectedLine(
        loopDir(loop).resolve(SELECTED),
        line -> {
          JsonNode n = Json.CANONICAL.readTree(line);
          out.add(
              new SavedLabel(
                  n.get("pool_key").asInt(),
                  n.get("first_preferred").asBoolean(),
                  n.path("s_first").asDouble(Double.NaN),
                  n.path("s_second").asDouble(Double.NaN),
                  n.has("second_pool_key")
                      ? new SavedLabel.BuiltFrom(
                          n.get("first_answer").asText().equals("first"),
                          n.get("second_pool_key").asInt(),
                          n.get("second_answer").asText().equals("first"),
                          n.has("second_content_id")
                              ? Long.parseUnsignedLong(n.get("second_content_id").asText(), 16)
                              : null)
                      : null,
                  n.has("content_id")
                      ? Long.parseUnsignedLong(n.get("content_id").asText(), 16)
                      : null));
        });
    return out;
  }

  /** The loop whose model the run kept, as its report says. */
  public int finalLoop() throws IOException {
    Path file = dir.resolve(REPORT);
    if (!Files.isRegularFile(file)) {
      throw new IOException(dir + ": no " + REPORT + "; the run has not finished a loop");
    }
    return Json.CANONICAL.readTree(file.toFile()).path("final_loop").asInt();
  }

  /** {@value #FINAL}/: the kept loop's model, once the run has stopped. */
  public Path finalDir() {
    return dir.resolve(FINAL);
  }

  /**
   * The model directory {@code dir} names: a model directory itself, or a run directory's model
   * ({@value #FINAL}/, or, for a run that stopped before final/ existed or has not stopped, the
   * kept loop's); an error names what is missing.
   */
  public static Path modelDir(Path dir) throws IOException {
    boolean isRun =
        Files.isRegularFile(dir.resolve(RUN)) || Files.isRegularFile(dir.resolve(REPORT));
    if (Files.isRegularFile(dir.resolve("config.json")) || !isRun) {
      return dir; // a model directory, or neither: the model store says what is wrong
    }
    RunStore run = new RunStore(dir);
    if (Files.isRegularFile(run.finalDir().resolve("config.json"))) {
      return run.finalDir();
    }
    return run.loopDir(run.finalLoop()).resolve("model");
  }

  public TrainedModel loadModel(int loop) throws IOException {
    return ModelStore.load(loopDir(loop).resolve("model"));
  }

  /**
   * What the loop tells the store: each loop's selections and model, then report.json (every loop
   * so far, the kept loop, why it stopped, the training mode {@code finetune}); the selections'
   * texts from {@code pool}.
   */
  LoopListener listener(SerConfig config, String finetune, Pool pool) throws IOException {
    // How `--encoder auto` chose the encoder, as run.json holds it: read once for every report.
    JsonNode encoderChoice = hasRun() ? readRun().get("encoder_choice") : null;
    return new LoopListener() {
      @Override
      public void loopDone(
          LoopReport report, TrainedModel model, List<SelfLabel> selected, List<LoopReport> loops)
          throws IOException {
        saveLoop(report.loop(), model, selected, pool);
        writeReport(loops, null, false);
      }

      @Override
      public void finished(List<LoopReport> loops, StopReason stop, int kept) throws IOException {
        AtomicFiles.copyDirectory(loopDir(kept).resolve("model"), finalDir());
        writeReport(loops, stop, true);
        RunReportPage.write(dir);
      }

      private void writeReport(List<LoopReport> loops, StopReason stop, boolean finished)
          throws IOException {
        ObjectNode report = Json.CANONICAL.createObjectNode();
        report.put("finished", finished);
        if (stop != null) {
          report.put("stop_reason", stop.toString());
        }
        report.put("final_loop", KeepRule.kept(loops, config));
        if (finished) {
          report.put("final_model", FINAL);
        }
        report.put("finetune", finetune);
        if (encoderChoice != null && !encoderChoice.isNull()) {
          report.set("encoder_choice", encoderChoice); // the first thing to read
        }
        report.set("loops", Json.CANONICAL.valueToTree(loops));
        AtomicFiles.writeString(
            dir.resolve(REPORT), Json.CANONICAL.writeValueAsString(report) + "\n");
      }
    };
  }

  /** How many loops are complete on disk (0 for a new run). */
  public int loopCount() throws IOException {
    return readLoops().size();
  }

  /** The loops already complete on disk (empty for a new run). */
  List<LoopReport> readLoops() throws IOException {
    Path file = dir.resolve(REPORT);
    List<LoopReport> loops = new ArrayList<>();
    if (Files.isRegularFile(file)) {
      for (JsonNode n : Json.CANONICAL.readTree(file.toFile()).path("loops")) {
        loops.add(Json.CANONICAL.treeToValue(n, LoopReport.class));
      }
    }
    return loops;
  }

  /** Why a finished run stopped, as its report says. */
  StopReason stopReason() throws IOException {
    return StopReason.parse(
        Json.CANONICAL.readTree(dir.resolve(REPORT).toFile()).path("stop_reason").asText());
  }

  boolean finished() throws IOException {
    Path file = dir.resolve(REPORT);
    return Files.isRegularFile(file)
        && Json.CANONICAL.readTree(file.toFile()).path("finished").asBoolean(false);
  }
}
