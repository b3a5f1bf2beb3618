package org.ser4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.format.PairWriter;
import org.ser4j.data.split.SerDataset;
import org.ser4j.model.ModelStore;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.ser.Learners;
import org.ser4j.ser.RunSettings;
import org.ser4j.ser.RunStore;
import org.ser4j.ser.ask.Acquisition;
import org.ser4j.ser.ask.Asker;
import org.ser4j.util.AtomicFiles;
import org.ser4j.util.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `ser ask`: the pairs of a run's pool that people should label next, ranked by an acquisition
 * strategy for the run's final model; never a pair already labeled by a person or the RM.
 */
@Command(
    name = "ask",
    mixinStandardHelpOptions = true,
    description =
        "Write the N pool pairs of a SER run that people should label next, ranked by --strategy for the run's final model, each with the RM's probability that answer a wins (p_a) and the strategy's score; never a pair already labeled by a person or self-labeled. Fill in \"preferred\": \"a\" or \"b\" (or \"tie\"), then: ser evolve --resume DIR --add-labels FILE.")
public final class AskCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--run",
      paramLabel = "DIR",
      description =
          "A ser evolve run: its final model, its pool less every pair labeled or self-labeled, its human labels held (default: none; or give --model and --unlabeled).")
  Path run;

  @Option(
      names = "--model",
      paramLabel = "DIR",
      description =
          "Instead of --run: a frozen-encoder model directory (or run directory), with --unlabeled (default: none).")
  Path model;

  @Option(
      names = "--unlabeled",
      paramLabel = "FILE",
      description =
          "With --model: the pool to ask from, as ser evolve --unlabeled reads it (default: none).")
  Path unlabeled;

  @Option(
      names = "--labeled",
      paramLabel = "FILE",
      description =
          "With --model: the human labels already held (they count in fisher and ensemble, and pairs they compare are not asked) (default: none).")
  Path labeled;

  @Option(
      names = "--strategy",
      paramLabel = "NAME",
      defaultValue = "random",
      description =
          "random, uncertainty (probability nearest 0.5), fisher (greedy D-optimal on the head's Bradley-Terry Fisher information, counting the labels held; on a fine-tuned run, on its pooled last layer), fisher-unit (the same on unit-length differences), fisher-raw (the same on the encoder's features before standardization), diverse (k-center on feature differences), typical (TypiClust: the most typical pair of each uncovered k-means cluster) or ensemble (disagreement of "
              + Asker.ENSEMBLE_HEADS
              + " bootstrap heads). Measured on AlpacaEval and HH-RLHF (docs/active-labeling.md), no strategy beat random labels yet, so random is the default (default: ${DEFAULT-VALUE}).")
  String strategy;

  @Option(
      names = {"-n", "--count"},
      paramLabel = "N",
      defaultValue = "100",
      description = "How many pairs to ask about (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "42",
      description = "Seed of the random and ensemble strategies (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "The questions, JSON Lines (.jsonl or .jsonl.gz).")
  Path out;

  @Mixin RuntimeOptions runtime;

  @Mixin SkipBadOption skip;

  @Override
  public Integer call() throws Exception {
    if (count < 1) {
      throw new IllegalArgumentException("--count must be at least 1, got " + count);
    }
    Acquisition acquisition = Acquisition.of(strategy, seed);
    if ((run == null) == (model == null) || (model != null) != (unlabeled != null)) {
      throw new IllegalArgumentException("give --run DIR, or --model DIR with --unlabeled FILE");
    }
    if (model != null) {
      return write(askModel(acquisition), acquisition, "--model " + model);
    }
    RunStore store = new RunStore(run);
    RunSettings settings = store.settings(12);
    SerDataset data = SerDataset.load(settings.data());
    List<UnlabeledPair> candidates = store.unanswered(data);
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException(run + ": every pool pair is labeled already");
    }
    TrainedModel model = ModelStore.load(RunStore.modelDir(run));
    long t0 = System.nanoTime();
    List<Asker.Question> questions;
    try (RewardLearner learner =
        Learners.open(
            settings.encoder(),
            settings.ser().train(),
            settings.finetune(),
            settings.heads(),
            runtime.toRuntime())) {
      learner.load(data);
      int[] held = IntStream.range(0, data.labeled().size()).toArray();
      questions = Asker.ask(learner, model, candidates, held, acquisition, count, seed);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return write(new Asked(questions, candidates.size(), seconds), acquisition, "--run " + run);
  }

  /** The questions, how many candidates they came from, and the seconds it took. */
  private record Asked(List<Asker.Question> questions, int candidates, double seconds) {}

  /** From a model and a pool file: every pool pair a candidate, the --labeled pairs held. */
  private Asked askModel(Acquisition acquisition) throws Exception {
    TrainedModel m = ModelStore.load(RunStore.modelDir(model));
    if (!(m instanceof org.ser4j.model.head.HeadModel)) {
      throw new IllegalArgumentException(
          model + " is a fine-tuned model; --model takes a frozen-encoder model (use --run)");
    }
    org.ser4j.data.format.ReadOptions read =
        org.ser4j.data.format.ReadOptions.defaults().withSkipBad(skip.skipBad);
    SerDataset data =
        labeled != null
            ? SerDataset.load(
                org.ser4j.data.split.DataSpec.ownData(
                    List.of(labeled), unlabeled, null, seed, read))
            : poolOnly();
    data.notes().forEach(n -> spec.commandLine().getOut().println("note: " + n));
    if (data.counts() != null && data.counts().trainSkipped().total() > 0) {
      spec.commandLine().getOut().println("note: " + data.counts().trainSkipped().summary());
    }
    if (data.labeled().isEmpty() && acquisition.readsEnsemble()) {
      throw new IllegalArgumentException("--strategy ensemble fits heads on --labeled FILE");
    }
    long t0 = System.nanoTime();
    try (RewardLearner learner =
        Learners.open(
            m.encoder(),
            org.ser4j.model.head.TrainConfig.defaults(),
            null,
            12,
            runtime.toRuntime())) {
      learner.load(data);
      int[] held = IntStream.range(0, data.labeled().size()).toArray();
      List<Asker.Question> q = Asker.ask(learner, m, data.pool(), held, acquisition, count, seed);
      return new Asked(q, data.pool().size(), (System.nanoTime() - t0) / 1e9);
    }
  }

  private SerDataset poolOnly() {
    org.ser4j.data.format.UnlabeledReader.Result r =
        org.ser4j.data.format.UnlabeledReader.read(unlabeled, skip.skipBad);
    r.warnings().forEach(w -> spec.commandLine().getOut().println("note: " + w));
    if (r.skipped().total() > 0) {
      spec.commandLine().getOut().println("note: " + unlabeled + ": " + r.skipped().summary());
    }
    if (r.pairs().isEmpty()) {
      throw new IllegalArgumentException(unlabeled + ": no usable pool pair");
    }
    return new SerDataset(
        List.of(), r.pairs(), org.ser4j.data.GoldLabels.unknown(r.pairs().size()), List.of(), null);
  }

  private int write(Asked asked, Acquisition acquisition, String source) throws Exception {
    List<Asker.Question> questions = asked.questions();
    AtomicFiles.writeGzipByName(
        out,
        o -> {
          for (Asker.Question q : questions) {
            ObjectNode n = Json.LINE.createObjectNode();
            n.put("rank", q.rank());
            n.put("id", q.pair().id());
            PairWriter.putPrompt(n, q.pair().prompt());
            n.put("response_a", q.pair().first());
            n.put("response_b", q.pair().second());
            n.put("p_a", q.pFirst());
            n.put("score", q.score());
            n.put("strategy", acquisition.name());
            n.putNull("preferred"); // for the person: "a", "b" or "tie"
            o.write(Json.LINE.writeValueAsBytes(n));
            o.write('\n');
          }
        });
    PrintWriter log = spec.commandLine().getOut();
    log.printf(
        Locale.ROOT,
        "asked %d of %d candidate pairs of %s (strategy %s, %.1f s); wrote %s%n"
            + "label them in a browser: ser label --queue %s --out labels.jsonl%n"
            + "(or fill in \"preferred\": \"a\", \"b\" or \"tie\" by hand)%s%n",
        questions.size(),
        asked.candidates(),
        source,
        acquisition.name(),
        asked.seconds(),
        out,
        out,
        run == null ? "" : "; then: ser evolve --resume " + run + " --add-labels labels.jsonl");
    log.flush();
    return 0;
  }
}
