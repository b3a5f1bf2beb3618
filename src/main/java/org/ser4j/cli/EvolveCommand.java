package org.ser4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ser4j.data.split.DataSpec;
import org.ser4j.data.split.SerDataset;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.model.ModelStore;
import org.ser4j.model.Provenance;
import org.ser4j.model.finetune.FineTuneConfig;
import org.ser4j.model.finetune.FineTunedModel;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.ser.EncoderSearch;
import org.ser4j.ser.LearnerEngine;
import org.ser4j.ser.LearnerEngines;
import org.ser4j.ser.RunSettings;
import org.ser4j.ser.RunStore;
import org.ser4j.ser.SerConfig;
import org.ser4j.ser.SerLoop;
import org.ser4j.ser.SerResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `ser evolve`: the SER loop on one dataset, saved loop by loop, resumable. */
@Command(
    name = "evolve",
    mixinStandardHelpOptions = true,
    description =
        "Run Self-Evolved Reward Learning: train on the labeled seed, then loop: self-label confident pool pairs, retrain. "
            + "Your own data: --labeled FILE (human labels) --unlabeled FILE (pairs nobody judged) [--test FILE]. "
            + "The experiment: --train FILE --labeled-fraction F hides all but F of the labels and measures self-labels against them. "
            + "Writes run.json, loop-N/{model,selected.jsonl}, report.json and final/ (the kept loop's model, which serve, score, eval and the other model commands take as --model DIR) to --out; --resume DIR continues an interrupted run.")
public final class EvolveCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin SettingsFile settings;

  @Mixin DataSpecMixin data;

  @Option(
      names = "--labeled",
      split = ",",
      paramLabel = "FILE",
      description =
          "Your own data: human-labeled preference pairs, any supported format; several files separated by commas. Every label is part of the seed. Needs --unlabeled (default: none).")
  List<Path> labeled;

  @Option(
      names = "--unlabeled",
      paramLabel = "FILE",
      description =
          "Your own data: the pool nobody has judged, one JSON object a line: {prompt, response_a, response_b}, or {prompt, responses: [...]} whose answers are paired in order (1st-2nd, 2nd-3rd, ...). Prompts are text or {role, content} messages. No label is read from it; a pair the labeled or test data already compare is left out (default: none).")
  Path unlabeled;

  @Option(
      names = "--labeled-fraction",
      paramLabel = "F",
      defaultValue = "0.15",
      description =
          "The experiment (--train): fraction of training pairs whose labels form the seed; the rest become the pool (default: ${DEFAULT-VALUE}, as in the paper).")
  double labeledFraction;

  @Mixin EncoderOptions encoder;

  @Mixin TrainOptions training;

  @Mixin SerOptions ser;

  @Mixin FineTuneOptions finetune;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Run directory to create (default: none; required unless --resume).")
  Path out;

  @Option(
      names = "--resume",
      paramLabel = "DIR",
      description =
          "Continue the run in DIR after its last finished loop; its run.json decides every setting (default: none).")
  Path resume;

  @Option(
      names = "--add-labels",
      paramLabel = "FILE",
      description =
          "With --resume on your own data: human labels that join the seed (a run that had stopped goes on). A pool pair they label leaves the pool; an earlier self-label they contradict is dropped and counted; the loops from here on are judged on the new seed (default: none).")
  Path addLabels;

  @Option(
      names = "--no-onnx",
      description =
          "With --finetune, do not export the final model to model.onnx (scored by ONNX Runtime in eval, score, best-of-n and serve; 90 MB for MiniLM) (default: ${DEFAULT-VALUE}).")
  boolean noOnnx;

  @Option(
      names = "--engine",
      paramLabel = "NAME",
      description =
          "Where the learner runs: local (this process) or an engine on the class path, found by name: spark with ser-spark, whose options then apply (default: local; ser-spark: spark).")
  String engineName;

  private final List<LearnerEngine> engines;
  private final String defaultEngine;

  /** Inputs an engine must fetch first, by the value given, and the engine that fetches them. */
  private final java.util.Map<String, LearnerEngine> staged = new java.util.LinkedHashMap<>();

  /**
   * `ser evolve` with the engines on the class path; the learner runs in this process by default.
   */
  public EvolveCommand() {
    this(LearnerEngines.available(), LearnerEngine.LOCAL.name());
  }

  /** `ser evolve` choosing among {@code engines}, {@code defaultEngine} unless --engine says. */
  public EvolveCommand(List<LearnerEngine> engines, String defaultEngine) {
    this.engines = List.copyOf(engines);
    this.defaultEngine = defaultEngine;
    LearnerEngines.named(defaultEngine, this.engines);
  }

  /**
   * Plugs the engines into {@code evolve} (a command line of an EvolveCommand): each engine's own
   * options as a mixin named after it, and path options read through the engines (an engine may
   * fetch a Hadoop URI or Parquet file before the run).
   */
  public static CommandLine plugEngines(CommandLine evolve) {
    EvolveCommand command = evolve.getCommand();
    for (LearnerEngine e : command.engines) {
      if (!CommandLine.Model.CommandSpec.forAnnotatedObjectLenient(e).options().isEmpty()) {
        evolve.addMixin(e.name(), e);
      }
    }
    evolve.registerConverter(Path.class, command::path);
    return evolve;
  }

  private Path path(String value) throws java.io.IOException {
    for (LearnerEngine e : engines) {
      Path local = e.stage(value);
      if (local != null) {
        staged.put(value, e);
        return local;
      }
    }
    return Path.of(value);
  }

  /** The engine --engine names; an input only another engine can fetch is an error. */
  private LearnerEngine engine() {
    LearnerEngine chosen =
        LearnerEngines.named(engineName == null ? defaultEngine : engineName, engines);
    staged.forEach(
        (value, e) -> {
          if (e != chosen) {
            throw new IllegalArgumentException(
                value + ": only the " + e.name() + " engine reads it; add --engine " + e.name());
          }
        });
    return chosen;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    LearnerEngine engine = engine();
    RunStore store;
    DataSpec dataSpec;
    EncoderConfig encoderConfig = null;
    SerConfig serConfig;
    long seed;
    FineTuneConfig fineTune;
    int heads = finetune.heads;
    com.fasterxml.jackson.databind.JsonNode chosenBy = null;
    if (addLabels != null && resume == null) {
      throw new IllegalArgumentException("--add-labels FILE goes with --resume DIR");
    }
    RunSettings added = null;
    if (resume != null) {
      store = new RunStore(resume);
      RunSettings run = store.resumeSettings(heads, addLabels);
      added = addLabels != null ? run : null;
      dataSpec = run.data();
      encoderConfig = run.encoder();
      chosenBy = run.encoderChoice();
      serConfig = run.ser();
      seed = dataSpec.seed();
      fineTune = run.finetune();
      heads = run.heads();
    } else {
      if (out == null) {
        throw new IllegalArgumentException("give --out DIR for a new run, or --resume DIR");
      }
      store = RunStore.fresh(out);
      dataSpec =
          unlabeled != null || labeled != null
              ? data.ownData(labeled, unlabeled)
              : data.toSpec(labeledFraction);
      serConfig = ser.toConfig(training.toConfig(data.seed), finetune.enabled());
      seed = data.seed;
      fineTune = finetune.toConfig(serConfig.train(), serConfig.validationFraction(), seed, true);
    }
    // An engine that reads the pool itself (on a cluster's executors) leaves this process the rest.
    boolean enginePool = dataSpec.unlabeled() != null && engine.readsPool(dataSpec);
    engine.start(spec.commandLine().getErr());
    SerDataset dataset = SerDataset.load(enginePool ? dataSpec.withoutUnlabeled() : dataSpec);
    if (added != null) {
      store.writeRun(added); // after the file has been read whole: a bad file changes nothing
    }
    log.printf(
        "data: %d labeled, %s unlabeled, %s test pairs (%s)%n",
        dataset.labeled().size(),
        enginePool ? "(read by the " + engine.name() + " engine)" : dataset.pool().size(),
        dataset.test().isEmpty() && dataSpec.ownData() ? "no" : dataset.test().size(),
        dataset.counts().trainSkipped().summary());
    dataset.notes().forEach(n -> log.println("note: " + n));
    log.flush();
    if (resume == null) { // a resumed run's encoder, and how it was chosen, are in its run.json
      EncoderSearch.Choice choice =
          encoder.choose(
              fineTune != null, training, dataset.labeled(), serConfig.train(), seed, log);
      encoderConfig = choice.chosen();
      chosenBy = RunSettings.choiceJson(choice);
    }
    try (RewardLearner learner =
        engine.open(
            encoderConfig,
            serConfig,
            fineTune == null ? null : fineTune.withSeed(seed),
            heads,
            encoder.runtime.toRuntime())) {
      RunSettings run =
          new RunSettings(dataSpec, learner.encoder(), serConfig, fineTune, heads, chosenBy);
      if (resume == null) {
        store.writeRun(run);
        SettingsFile.write(spec, store.dir());
      }
      Provenance provenance =
          Provenance.forRun("evolve", dataSpec, dataset.labeled(), run.toJson());
      SerLoop loop = new SerLoop(serConfig, seed, store, provenance, log);
      SerResult result =
          enginePool ? loop.run(dataset, learner, engine::pool) : loop.run(dataset, learner);
      log.printf(
          Locale.ROOT,
          "stopped: %s; final RM: loop %d, %s%s%n",
          result.stopReason(),
          result.keptLoop(),
          result.kept().testAccuracy() == null
              ? String.format(
                  Locale.ROOT,
                  "%s %.4f (seed only %.4f; no test set)",
                  serConfig.crossValidated()
                      ? "out-of-fold accuracy on the labeled seed"
                      : "accuracy on the seed's validation slice",
                  result.kept().validationAccuracy(),
                  result.seedOnly().validationAccuracy())
              : String.format(
                  Locale.ROOT,
                  "test accuracy %.4f (seed only %.4f)",
                  result.kept().testAccuracy(),
                  result.seedOnly().testAccuracy()),
          fineTune == null ? "" : "; fine-tuned " + fineTune.mode());
      Path finalDir = RunStore.modelDir(store.dir()); // final/: the kept loop's model
      // A frozen-encoder model scores through ONNX already: only a fine-tuned one is read again.
      if (!noOnnx
          && result.keptModel() instanceof FineTunedModel
          && ModelStore.load(finalDir) instanceof FineTunedModel ft
          && ft.onnx() == null) {
        ft.exportOnnx(finalDir); // only the shipped model's: 90 MB a model
      }
      log.println("wrote " + store.dir().resolve(RunStore.REPORT) + "; final model: " + finalDir);
      log.flush();
    }
    return 0;
  }
}
