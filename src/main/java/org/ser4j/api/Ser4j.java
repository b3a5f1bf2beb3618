package org.ser4j.api;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Map;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.format.PairWriter;
import org.ser4j.data.format.ReadOptions;
import org.ser4j.data.split.DataSpec;
import org.ser4j.data.split.SerDataset;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.model.ModelStore;
import org.ser4j.model.Provenance;
import org.ser4j.model.RewardScorer;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.finetune.FineTuneConfig;
import org.ser4j.model.finetune.FineTuneMode;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.ser.EncoderSearch;
import org.ser4j.ser.RunSettings;
import org.ser4j.ser.RunStore;
import org.ser4j.ser.SerConfig;
import org.ser4j.ser.SerLoop;
import org.ser4j.ser.SerResult;
import org.ser4j.ser.Training;
import org.ser4j.ser.select.SelectionRule;
import org.ser4j.util.Progress;

/**
 * SER4J from Java, in a few lines: train or evolve a reward model on a preference file, and score
 * with any saved model. The same code as the CLI runs underneath (one loop, one learner per model
 * family); defaults are the CLI's.
 *
 * <pre>{@code
 * SerResult run = Ser4j.labeled(Path.of("human.jsonl")).unlabeled(Path.of("pool.jsonl"))
 *     .out(Path.of("runs/mine")).evolve();
 * try (RewardScorer rm = Ser4j.open(Path.of("runs/mine"))) {
 *   double r = rm.reward("How do I bake bread?", "Mix flour, water, salt and yeast...");
 * }
 * }</pre>
 */
public final class Ser4j {
  private Ser4j() {}

  /**
   * The experiment on the preference pairs in {@code trainFile} (any supported format, plain or
   * gzip): {@link Job#evolve} hides all but {@link Job#labeledFraction} of the labels.
   */
  public static Job on(Path trainFile) {
    return new Job(trainFile);
  }

  /**
   * A job on your own human labels (any supported format, plain or gzip); give the pool nobody has
   * judged with {@link Job#unlabeled} before {@link Job#evolve}. {@link Job#train} trains on the
   * labels alone.
   */
  public static Job labeled(Path... files) {
    Job job = new Job(null);
    job.labeledFiles.addAll(java.util.List.of(files));
    return job;
  }

  /**
   * As {@link #labeled(Path...)}, from pairs in memory (written under the run's {@code inputs/}).
   */
  public static Job labeled(java.util.List<PreferencePair> pairs) {
    Job job = new Job(null);
    job.labeledPairs = java.util.List.copyOf(pairs);
    return job;
  }

  /**
   * The model in {@code modelDir} (either family; or a SER run directory: its final model) as a
   * scorer; features are cached in memory only.
   */
  public static RewardScorer open(Path modelDir) throws IOException {
    return ModelStore.load(RunStore.modelDir(modelDir)).open(EncoderRuntime.defaults(null));
  }

  /** Settings of one training or SER run; every setter returns this job. */
  public static final class Job {
    private final Path train;
    private final java.util.List<Path> labeledFiles = new java.util.ArrayList<>();
    private java.util.List<PreferencePair> labeledPairs;
    private Path unlabeledFile;
    private java.util.List<UnlabeledPair> unlabeledPairs;
    private Path test;
    private double testFraction = 0.2;
    private Double labeledFraction; // null: the command's default (evolve 0.15, train 1.0)
    private long seed = 42;
    private boolean skipBad;
    private String encoder = "auto";
    private FineTuneMode fineTune = FineTuneMode.NONE;
    private SerConfig ser = SerConfig.defaults();
    private Path cache;
    private Path out;
    private PrintWriter log = new PrintWriter(Writer.nullWriter());
    private Progress progress = Progress.quiet();

    private Job(Path train) {
      this.train = train;
    }

    /**
     * The pool nobody has judged (for {@link Ser4j#labeled}): {prompt, response_a, response_b} or
     * {prompt, responses: [...]} records; no label is read from it.
     */
    public Job unlabeled(Path file) {
      this.unlabeledFile = file;
      this.unlabeledPairs = null;
      return this;
    }

    /**
     * As {@link #unlabeled(Path)}, from pairs in memory (written under the run's {@code inputs/}).
     */
    public Job unlabeled(java.util.List<UnlabeledPair> pairs) {
      this.unlabeledPairs = java.util.List.copyOf(pairs);
      this.unlabeledFile = null;
      return this;
    }

    /**
     * A separate test file instead of a held-out fraction split by prompt (default: 0.2 of the
     * train file).
     */
    public Job test(Path file) {
      this.test = file;
      return this;
    }

    public Job testFraction(double f) {
      this.testFraction = f;
      return this;
    }

    /**
     * The share of the training pairs whose human labels are used (default as the CLI's: 0.15, the
     * paper's seed, for {@link #evolve}; every label for {@link #train}).
     */
    public Job labeledFraction(double f) {
      this.labeledFraction = f;
      return this;
    }

    public Job seed(long s) {
      this.seed = s;
      return this;
    }

    /** Skip and count bad records instead of failing on the first. */
    public Job skipBad() {
      this.skipBad = true;
      return this;
    }

    /**
     * A built-in encoder by name (bge-small-q, minilm-l6-q, e5-small-q, minilm-l6, bge-small),
     * several frozen ones comma-separated (side by side), or "auto" (the default): with a frozen
     * encoder, chosen from the labeled pairs by cross-validation as `--encoder auto` does.
     */
    public Job encoder(String name) {
      this.encoder = name;
      return this;
    }

    /**
     * Let the encoder learn: "top:K", "full" or "lora" (default: frozen). Loops are then judged on
     * a validation slice and self-labels weigh as human labels, as the CLI does, unless a later
     * {@link #ser} says otherwise: folds would fine-tune the encoder K more times, and a learning
     * encoder takes no other weight.
     */
    public Job fineTune(String mode) {
      this.fineTune = FineTuneMode.parse(mode);
      if (fineTune != FineTuneMode.NONE) {
        this.ser = ser.withDecisionFolds(0).withSelfLabelWeight(1.0);
      }
      return this;
    }

    /** SER's settings (selection rule, thresholds, loops...). */
    public Job ser(SerConfig config) {
      this.ser = config;
      return this;
    }

    /**
     * Learn style apart from quality: "length", "markdown" or "length,markdown" ("none" to switch
     * off). The saved reward is the linear head kept uncorrelated with those styles; a style head
     * explains them during training (as {@code --debias}).
     */
    public Job debias(String styles) {
      this.ser = ser.withTrain(ser.train().withDebias(org.ser4j.data.Style.parse(styles)));
      return this;
    }

    public Job maxLoops(int loops) {
      this.ser = ser.withMaxLoops(loops);
      return this;
    }

    public Job selection(SelectionRule rule) {
      this.ser = ser.withRule(rule);
      return this;
    }

    /** Keep features on disk under {@code dir}, shared with the CLI (default: memory only). */
    public Job cache(Path dir) {
      this.cache = dir;
      return this;
    }

    /**
     * Save the run (evolve: a resumable run directory) or the model (train) in {@code dir}
     * (default: nothing saved).
     */
    public Job out(Path dir) {
      this.out = dir;
      return this;
    }

    /** Where per-loop lines go (default: nowhere). */
    public Job log(PrintWriter writer) {
      this.log = writer;
      return this;
    }

    /**
     * Show the progress of encoding and training (items/s, ETA) on stderr, as the CLI does: a live
     * bar on a terminal, a line every few seconds in a log (default: quiet).
     */
    public Job showProgress() {
      this.progress = Progress.console();
      return this;
    }

    /**
     * Self-Evolved Reward Learning from the labeled seed; the result holds every loop's report and
     * the kept model.
     */
    public SerResult evolve() throws IOException {
      if (ownData() && unlabeledFile == null && unlabeledPairs == null) {
        throw new IllegalArgumentException(
            "evolve needs the pool nobody has judged: .unlabeled(file or pairs)");
      }
      DataSpec spec = spec(0.15);
      SerDataset data = SerDataset.load(spec);
      FineTuneConfig ft = fineTuneConfig(true);
      EncoderSearch.Choice choice = choose(ft, data);
      try (RewardLearner learner = learner(ft, choice)) {
        // run.json as the CLI writes it, so `ser export --run` and `ser evolve --resume` open the
        // run; a directory holding a run with other settings is refused.
        RunStore store =
            out == null
                ? null
                : RunStore.reuseOrCreate(
                    out,
                    new RunSettings(
                        spec, learner.encoder(), ser, ft, HEADS, RunSettings.choiceJson(choice)));
        return new SerLoop(ser, seed, store, provenance("api-evolve", spec, data, choice), log)
            .run(data, learner);
      }
    }

    /**
     * A reward model trained on every label, as `ser train` (or on {@link #labeledFraction} of
     * them).
     */
    public TrainedModel train() throws IOException {
      DataSpec spec = spec(1.0);
      SerDataset data = SerDataset.load(spec);
      FineTuneConfig ft = fineTuneConfig(false);
      EncoderSearch.Choice choice = choose(ft, data);
      try (RewardLearner learner = learner(ft, choice)) {
        TrainedModel model =
            Training.run(
                    learner,
                    data,
                    ser.train().validationFraction(),
                    seed,
                    provenance("api-train", spec, data, choice))
                .model();
        if (out != null) {
          model.save(out);
        }
        return model;
      }
    }

    private boolean ownData() {
      return train == null;
    }

    /**
     * The data; {@code defaultFraction} of the labels unless {@link #labeledFraction} was set (the
     * experiment), or every label (your own data: pairs in memory written to files first).
     */
    private DataSpec spec(double defaultFraction) throws IOException {
      ReadOptions read = ReadOptions.defaults().withSkipBad(skipBad).withSeed(seed);
      if (ownData()) {
        java.util.List<Path> labeled = labeledFiles;
        Path pool = unlabeledFile;
        if (labeledPairs != null || unlabeledPairs != null) {
          Path inputs =
              out != null
                  ? out.resolve("inputs")
                  : java.nio.file.Files.createTempDirectory("ser4j-inputs-");
          if (labeledPairs != null) {
            labeled = java.util.List.of(inputs.resolve("labeled.jsonl"));
            PairWriter.write(labeled.get(0), labeledPairs);
          }
          if (unlabeledPairs != null) {
            pool = inputs.resolve("unlabeled.jsonl");
            PairWriter.writeUnlabeled(pool, unlabeledPairs);
          }
        }
        return DataSpec.ownData(labeled, pool, test, seed, read);
      }
      return new DataSpec(
          train,
          test,
          test == null ? testFraction : null,
          labeledFraction == null ? defaultFraction : labeledFraction,
          seed,
          read);
    }

    /** The encoder's attention heads (the built-in encoders' 12). */
    private static final int HEADS = 12;

    /**
     * The fine-tuning settings, or null for a frozen encoder; {@code probeHead}: a fine-tuned head
     * starts from a linear probe (SER), or not (train).
     */
    private FineTuneConfig fineTuneConfig(boolean probeHead) {
      if (fineTune == FineTuneMode.NONE) {
        return null;
      }
      return FineTuneConfig.defaults(fineTune)
          .withLoss(ser.train().loss())
          .withSeed(seed)
          .withProbeHead(probeHead);
    }

    /**
     * The encoder: the one named, or for "auto" with a frozen encoder the one chosen from the
     * labeled pairs, as the CLI chooses ({@link EncoderSearch}).
     */
    private EncoderSearch.Choice choose(FineTuneConfig ft, SerDataset data) throws IOException {
      boolean learns = ft != null;
      EncoderSearch.Choice choice =
          EncoderSearch.resolve(
              learns || !encoder.equals("auto")
                  ? null
                  : EncoderSearch.defaultSpace(
                      EncoderSearch.DEFAULT_CANDIDATES, EncoderConfig.DEFAULT_MAX_LENGTH, "auto"),
              EncoderConfig.named(encoder, learns, 0, "auto"),
              data.labeled(),
              ser.train().withSeed(seed),
              runtime(),
              seed);
      choice.lines().forEach(log::println);
      log.flush();
      return choice;
    }

    private EncoderRuntime runtime() {
      return EncoderRuntime.defaults(cache).withProgress(progress);
    }

    private RewardLearner learner(FineTuneConfig ft, EncoderSearch.Choice choice)
        throws IOException {
      return org.ser4j.ser.Learners.open(
          choice.chosen(), ser.train().withSeed(seed), ft, HEADS, runtime());
    }

    private Provenance provenance(
        String command, DataSpec spec, SerDataset data, EncoderSearch.Choice choice) {
      Map<String, Object> settings = new java.util.LinkedHashMap<>();
      settings.put("ser", ser);
      settings.put("finetune", fineTune.cliName());
      if (choice.searched()) {
        settings.put("encoder_choice", choice.toJson());
      }
      return Provenance.forRun(command, spec, data.labeled(), settings);
    }
  }
}
