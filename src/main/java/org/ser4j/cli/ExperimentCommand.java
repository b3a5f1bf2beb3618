package org.ser4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.experiment.ActiveExperiment;
import org.ser4j.experiment.ActiveReport;
import org.ser4j.experiment.ActiveSchedule;
import org.ser4j.experiment.Cell;
import org.ser4j.experiment.Experiment;
import org.ser4j.experiment.ExperimentBestOfN;
import org.ser4j.experiment.ExperimentReport;
import org.ser4j.model.finetune.FineTuneConfig;
import org.ser4j.ser.SerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `ser experiment`: the paper's comparison on one dataset. For each labeled fraction and seed:
 * seed-only (Loop 0), SER (the loop SER keeps), and full (every training pair with its human
 * label), all early-stopped on the same validation slice and tested on the same test set.
 */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    description =
        "Compare seed-only, SER and full-label reward models over seeds (and labeled fractions); writes experiment.json, experiment.md, experiment-loops.png, experiment-gains.png (and label-efficiency.png) to --out.")
public final class ExperimentCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin SettingsFile settingsFile;

  @Mixin DataSpecMixin data;

  @Option(
      names = "--labeled-fraction",
      paramLabel = "F",
      defaultValue = "0.15",
      description = "Labeled fraction (default: ${DEFAULT-VALUE}).")
  double labeledFraction;

  @Option(
      names = "--fractions",
      paramLabel = "F,F,...",
      split = ",",
      description =
          "Several labeled fractions, for the label-efficiency curve; the first is the headline (default: --labeled-fraction alone).")
  List<Double> fractions;

  @Option(
      names = "--seeds",
      paramLabel = "N",
      defaultValue = "3",
      description = "Seeds --seed, --seed+1, ...: each its own split (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Mixin EncoderOptions encoder;

  @Mixin TrainOptions training;

  @Mixin SerOptions ser;

  @Mixin FineTuneOptions finetune;

  @Option(
      names = "--acquisition",
      split = ",",
      paramLabel = "NAME[,NAME...]",
      description =
          "Active labeling instead: a simulated annotator answers from the gold labels only when asked; each strategy (random, uncertainty, fisher, fisher-unit, fisher-raw, diverse, typical, ensemble; random is always run, as the baseline) starts from the same --ask-start random labels and asks --ask-size more per round for --ask-rounds rounds; at each count the RM of those labels and SER from them are tested, paired with random labels (default: none, the labeled-fraction experiment).")
  List<String> acquisition;

  @Option(
      names = "--ask-start",
      paramLabel = "N",
      defaultValue = "30",
      description =
          "Active labeling: random human labels to start from (default: ${DEFAULT-VALUE}).")
  int askStart;

  @Option(
      names = "--ask-size",
      paramLabel = "N",
      defaultValue = "30",
      description = "Active labeling: labels asked per round (default: ${DEFAULT-VALUE}).")
  int askSize;

  @Option(
      names = "--ask-rounds",
      paramLabel = "N",
      defaultValue = "4",
      description = "Active labeling: rounds of asking (default: ${DEFAULT-VALUE}).")
  int askRounds;

  @Option(
      names = "--samples",
      split = ",",
      paramLabel = "FILE",
      description =
          "Active labeling: more samples of the same data, training files read as --train is (such as ser data candidates --seed 7 writes): every seed runs on each, and the gains over random labels are paired within a sample and seed and pooled over all samples (default: none).")
  List<Path> samples;

  @Option(
      names = "--no-ask-ser",
      description =
          "Active labeling: measure the RM of the human labels only, not SER from them (default: ${DEFAULT-VALUE}).")
  boolean noAskSer;

  @Option(
      names = "--skip-full",
      description =
          "Do not train the full-label baseline (it is reported as NaN); saves one training per cell (default: ${DEFAULT-VALUE}).")
  boolean skipFull;

  @Option(
      names = "--best-of-n",
      paramLabel = "FILE",
      description =
          "Judged candidate sets (ser data candidates): adds each RM's best-of-n win rate (seed-only, the SER loop kept, the last SER loop, full; with --acquisition, each method's at each label count, at the first n of --best-of-n-at) to experiment.json, paired by seed (default: none).")
  Path bestOfNFile;

  @Option(
      names = "--best-of-n-at",
      paramLabel = "LIST",
      defaultValue = "16,all",
      description = "The n of --best-of-n; 'all' = every candidate (default: ${DEFAULT-VALUE}).")
  String bestOfNAt;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description =
          "Output directory; each run is kept in DIR/runs/ and reused when the experiment is run again.")
  Path out;

  @Override
  public Integer call() throws Exception {
    List<Double> fs =
        fractions == null || fractions.isEmpty() ? List.of(labeledFraction) : fractions;
    SerConfig config = ser.toConfig(training.toConfig(data.seed), finetune.enabled());
    FineTuneConfig ft =
        finetune.toConfig(config.train(), config.validationFraction(), data.seed, true);
    // Fingerprinted once: every cell's fine-tuned models name the same weights.
    EncoderConfig encoderConfig =
        ft == null ? encoder.toConfig(false, training) : encoder.toConfig(true, training).pinned();
    ExperimentBestOfN bon =
        bestOfNFile == null ? null : new ExperimentBestOfN(bestOfNFile, bestOfNAt);
    if (acquisition != null && !acquisition.isEmpty()) {
      if (ft != null) {
        throw new IllegalArgumentException("--acquisition runs with a frozen encoder only");
      }
      List<Path> trainFiles = new ArrayList<>();
      trainFiles.add(data.train);
      if (samples != null) {
        trainFiles.addAll(samples);
      }
      ActiveExperiment.SampleData sampleData =
          (j, seed) -> data.toSpec(1.0, seed).withTrain(trainFiles.get(j));
      ActiveExperiment.Settings active =
          new ActiveExperiment.Settings(
              acquisition,
              new ActiveSchedule(askStart, askSize, askRounds),
              data.seed,
              seeds,
              config,
              encoderConfig,
              !noAskSer,
              !skipFull,
              trainFiles.stream().map(Path::toString).toList());
      java.nio.file.Files.createDirectories(out);
      SettingsFile.write(spec, out);
      PrintWriter activeLog = spec.commandLine().getOut();
      List<ActiveExperiment.Point> points =
          new ActiveExperiment(active, sampleData, encoder.runtime.toRuntime(), bon, activeLog)
              .run();
      ActiveReport.write(out, active, points, bon, activeLog);
      return 0;
    }
    if (samples != null && !samples.isEmpty()) {
      throw new IllegalArgumentException("--samples goes with --acquisition");
    }
    Experiment.Settings settings =
        new Experiment.Settings(
            fs,
            data.seed,
            seeds,
            config,
            ft,
            finetune.heads,
            encoderConfig,
            encoder.space(ft != null, training),
            skipFull);
    PrintWriter log = spec.commandLine().getOut();
    java.nio.file.Files.createDirectories(out);
    SettingsFile.write(spec, out);
    List<Cell> cells =
        new Experiment(settings, data::toSpec, encoder.runtime.toRuntime(), bon, out, log).run();
    ExperimentReport.write(out, data.train, settings, cells, bon, log);
    return 0;
  }
}
