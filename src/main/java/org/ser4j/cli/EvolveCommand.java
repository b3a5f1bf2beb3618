package org.ser4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ser4j.data.DataSpec;
import org.ser4j.data.SerDataset;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.EncoderSpec;
import org.ser4j.model.FineTuneConfig;
import org.ser4j.ser.FineTunedSerLoop;
import org.ser4j.ser.RunStore;
import org.ser4j.ser.SerConfig;
import org.ser4j.ser.SerInputs;
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
    description = "Run Self-Evolved Reward Learning: train on the labeled seed, then loop: self-label confident pool pairs, retrain. Writes run.json, loop-N/{model,selected.jsonl} and report.json to --out; --resume DIR continues an interrupted run.")
public final class EvolveCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DataSpecMixin data;

  @Option(names = "--labeled-fraction", paramLabel = "F", defaultValue = "0.15",
      description = "Fraction of training pairs whose human labels form the seed (default: ${DEFAULT-VALUE}, as in the paper).")
  double labeledFraction;

  @Mixin EncoderOptions encoder;

  @Mixin TrainOptions training;

  @Mixin SerOptions ser;

  @Mixin FineTuneOptions finetune;

  @Option(names = "--out", paramLabel = "DIR", description = "Run directory to create (default: none; required unless --resume).")
  Path out;

  @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR after its last finished loop; its run.json decides every setting (default: none).")
  Path resume;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    RunStore store;
    DataSpec dataSpec;
    EncoderConfig encoderConfig;
    SerConfig serConfig;
    long seed;
    FineTuneConfig fineTune;
    int heads = finetune.heads;
    if (resume != null) {
      store = new RunStore(resume);
      JsonNode run = store.readRun();
      dataSpec = RunJson.dataSpec(run);
      encoderConfig = RunJson.encoder(run);
      serConfig = RunJson.ser(run);
      seed = dataSpec.seed();
      fineTune = RunJson.finetune(run);
      heads = run.path("attention_heads").asInt(heads);
    } else {
      if (out == null) {
        throw new IllegalArgumentException("give --out DIR for a new run, or --resume DIR");
      }
      store = new RunStore(out);
      if (store.hasRun()) {
        throw new IllegalArgumentException(out + " already holds a run; use --resume " + out + " or another --out");
      }
      dataSpec = data.toSpec(labeledFraction);
      serConfig = ser.toConfig(training.toConfig(data.seed));
      seed = data.seed;
      fineTune = finetune.enabled() ? finetune.toConfig(serConfig.train().loss(), serConfig.train().weightDecay(), serConfig.validationFraction(), seed) : null;
      encoderConfig = encoder.toConfig(fineTune != null);
    }
    SerDataset dataset = SerDataset.load(dataSpec);
    log.printf("data: %d labeled, %d unlabeled, %d test pairs (%s)%n", dataset.labeled().size(), dataset.pool().size(), dataset.test().size(), dataset.counts().trainSkipped().summary());
    log.flush();
    RuntimeOptions runtime = encoder.runtime;
    if (fineTune != null) {
      if (resume == null) {
        encoderConfig = encoderConfig.withFingerprint(EncoderSpec.fingerprint(encoderConfig.model()));
        store.writeRun(RunJson.run(dataSpec, encoderConfig, serConfig, fineTune, heads));
      }
      SerResult result = new FineTunedSerLoop(serConfig, fineTune, encoderConfig, heads, seed, store, runtime.progress(), log)
          .cachingLowerLayersUnder(runtime.cacheRoot()).run(dataset);
      report(log, store, result, "; fine-tuned " + fineTune.mode(), null);
      return 0;
    }
    try (Featurizer featurizer = runtime.open(encoderConfig)) {
      if (resume == null) {
        store.writeRun(RunJson.run(dataSpec, featurizer.config(), serConfig));
      }
      SerInputs inputs = SerInputs.encode(featurizer, dataset);
      SerResult result = new SerLoop(serConfig, seed, store, org.ser4j.util.Progress.quiet(), log).run(inputs);
      report(log, store, result, "", featurizer.cache().summary());
    }
    return 0;
  }

  /** The closing lines of a run, either kind: why it stopped, the kept loop, where things are. */
  private static void report(PrintWriter log, RunStore store, SerResult result, String mode, String cacheSummary) {
    log.printf(Locale.ROOT, "stopped: %s; final RM: loop %d, test accuracy %.4f (seed only %.4f)%s%n",
        result.stopReason(), result.finalLoop(), result.last().testAccuracy(), result.seedOnly().testAccuracy(), mode);
    if (cacheSummary != null) {
      log.println(cacheSummary);
    }
    log.println("wrote " + store.dir().resolve(RunStore.REPORT) + "; final model: " + store.loopDir(result.finalLoop()).resolve("model"));
    log.flush();
  }
}
