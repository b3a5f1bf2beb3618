package org.ser4j.ser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.Prompt;
import org.ser4j.data.split.SeedSplit;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.encoder.EncoderSpec;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.InputStrategy;
import org.ser4j.model.head.PairEncoding;
import org.ser4j.model.head.PairFeatures;
import org.ser4j.model.head.RewardTrainer;
import org.ser4j.model.head.TrainConfig;
import org.ser4j.model.head.TrainedHead;
import org.ser4j.util.Permutations;
import org.ser4j.util.Progress;

/**
 * `--encoder auto`: the frozen encoders (alone and side by side) and what they read, chosen from
 * the user's own labeled pairs. Only the labeled pairs are encoded by every encoder; each candidate
 * is scored by out-of-fold accuracy and log-loss of the run's own head, folds grouped by prompt.
 * Among the candidates whose accuracy is within one standard error of the best one's, the richest
 * (most encoders, then both sequences read) is chosen. Why the richest, not the cheapest (the usual
 * one-standard-error rule): the RM that ships trains on the seed and on the self-labels, many times
 * more pairs than the folds, and more features gain more from more pairs; measured on AlpacaEval
 * (docs/encoder-choice.md), the cheapest within one error lost 4.7 points of SER accuracy to the
 * richest, while the error band still drops a candidate the labels show to be clearly worse.
 */
public final class EncoderSearch {
  /** Folds of the out-of-fold estimate (fewer when the labels come from fewer prompts). */
  public static final int FOLDS = 5;

  /** Below this many labeled pairs there is nothing to choose from: the default encoder. */
  public static final int MIN_PAIRS = 20;

  /** The built-in frozen encoders auto searches by default. */
  public static final List<String> DEFAULT_CANDIDATES =
      List.of("bge-small-q", "minilm-l6-q", "e5-small-q");

  /**
   * Encode time per text relative to bge-small-q, measured side by side by `ser bench --encoders`
   * (docs/benchmarks.md: 86.3, 55.2 and 33.8 texts/s for one, two and three encoders); an encoder
   * not listed (a local file) is costed by its weights' size against bge-small-q's.
   */
  private static final Map<String, Double> RELATIVE_COST =
      Map.of("bge-small-q", 1.0, "minilm-l6-q", 0.56, "e5-small-q", 0.99);

  /**
   * What auto searches: every non-empty set of {@code encoders} (in the order given), each reading
   * each of {@code inputs}, at {@code maxLength} tokens.
   */
  public record Space(List<EncoderSpec> encoders, List<InputStrategy> inputs, int maxLength) {
    public Space {
      if (encoders.isEmpty() || inputs.isEmpty()) {
        throw new IllegalArgumentException("the encoder search needs an encoder and an input");
      }
      if (encoders.size() > 4) {
        throw new IllegalArgumentException(
            "--encoder-candidates: at most 4 encoders (every set of them is a candidate), got "
                + encoders.size());
      }
      encoders = List.copyOf(encoders);
      inputs = List.copyOf(inputs);
    }

    /** The strategy every encoder reads the labeled pairs with: the widest the inputs need. */
    InputStrategy encoded() {
      return inputs.size() == 1 ? inputs.get(0) : InputStrategy.PAIR_AND_RESPONSE;
    }
  }

  /** A candidate: its encoder settings, encode cost, and the labeled pairs' features under it. */
  public record Candidate(EncoderConfig encoder, double cost, PairFeatures labeled) {}

  /**
   * One candidate's figures: out-of-fold accuracy with its 95% interval, mean log-loss, how far its
   * accuracy is behind the best's and its log-loss above the lowest, each with the standard error
   * of that paired difference.
   */
  public record Row(
      String encoder,
      String input,
      double cost,
      double accuracy,
      double low,
      double high,
      double logLoss,
      double behindBest,
      double behindSe,
      double lossAboveBest,
      double lossAboveSe,
      boolean chosen) {}

  /**
   * The search's outcome: the encoder settings chosen, every candidate's row (empty when the
   * encoder was fixed by the user), the labeled pairs and folds it used, and a note (why nothing
   * was searched), or null.
   */
  public record Choice(EncoderConfig chosen, List<Row> rows, int pairs, int folds, String note) {
    public Choice {
      rows = List.copyOf(rows);
    }

    /** The user's own choice: nothing searched. */
    public static Choice fixed(EncoderConfig encoder) {
      return new Choice(encoder, List.of(), 0, 0, null);
    }

    public boolean searched() {
      return !rows.isEmpty();
    }

    /** run.json's, report.json's and the model's provenance's {@code encoder_choice}. */
    public com.fasterxml.jackson.databind.node.ObjectNode toJson() {
      var json = org.ser4j.util.Json.CANONICAL.createObjectNode();
      json.put("chosen", chosen.name());
      json.put("input", chosen.strategy().cliName());
      json.put(
          "rule",
          "the richest candidate (most encoders, then pair+response) within one standard error of the best out-of-fold accuracy");
      json.put("labeled_pairs", pairs);
      json.put("folds", folds);
      if (note != null) {
        json.put("note", note);
      }
      json.set("candidates", org.ser4j.util.Json.CANONICAL.valueToTree(rows));
      return json;
    }

    /** The table as printed first by the commands. */
    public List<String> lines() {
      return searched() || note != null ? lines(toJson()) : List.of();
    }

    /** The table of a recorded choice (run.json's or a model's {@code encoder_choice}). */
    public static List<String> lines(com.fasterxml.jackson.databind.JsonNode choice) {
      List<String> out = new ArrayList<>();
      JsonRows rows = new JsonRows(choice.path("candidates"));
      if (rows.size() == 0) {
        out.add(
            "encoder: "
                + choice.path("chosen").asText()
                + " ("
                + choice.path("note").asText()
                + ")");
        return out;
      }
      out.add(
          String.format(
              java.util.Locale.ROOT,
              "encoder auto: %d candidates on %d labeled pairs, %d folds by prompt; chose %s, input %s",
              rows.size(),
              choice.path("labeled_pairs").asInt(),
              choice.path("folds").asInt(),
              choice.path("chosen").asText(),
              choice.path("input").asText()));
      out.add(
          String.format(
              java.util.Locale.ROOT,
              "  %-36s %-13s %5s %8s %17s %8s %s",
              "encoders",
              "input",
              "cost",
              "accuracy",
              "95% interval",
              "log-loss",
              "behind best (paired se)"));
      for (List<String> r : rows.cells()) {
        out.add(
            String.format(
                java.util.Locale.ROOT,
                "%s %-36s %-13s %5s %8s [%s, %s] %8s %s (%s)",
                r.get(0),
                r.get(1),
                r.get(2),
                r.get(3),
                r.get(4),
                r.get(5),
                r.get(6),
                r.get(7),
                r.get(8),
                r.get(9)));
      }
      return out;
    }
  }

  /**
   * A recorded choice's candidates as text cells: chosen mark, encoders, input, cost, accuracy,
   * interval low and high, log-loss, behind best, its paired standard error (the HTML report and
   * the printed table read the same cells).
   */
  public record JsonRows(com.fasterxml.jackson.databind.JsonNode candidates) {
    public int size() {
      return candidates.size();
    }

    public List<List<String>> cells() {
      List<List<String>> out = new ArrayList<>();
      for (var r : candidates) {
        out.add(
            List.of(
                r.path("chosen").asBoolean() ? "*" : " ",
                r.path("encoder").asText(),
                r.path("input").asText(),
                f(r, "cost", "%.2f"),
                f(r, "accuracy", "%.4f"),
                f(r, "low", "%.4f"),
                f(r, "high", "%.4f"),
                f(r, "logLoss", "%.4f"),
                f(r, "behindBest", "%.4f"),
                f(r, "behindSe", "%.4f")));
      }
      return out;
    }

    private static String f(com.fasterxml.jackson.databind.JsonNode r, String field, String fmt) {
      return String.format(java.util.Locale.ROOT, fmt, r.path(field).asDouble());
    }
  }

  private EncoderSearch() {}

  /**
   * The default search: the built-in int8 encoders, each alone and side by side, reading {@code
   * input} ({@link #inputs}).
   */
  public static Space defaultSpace(List<String> names, int maxLength, String input) {
    List<EncoderSpec> specs = new ArrayList<>();
    for (String n : names) {
      specs.add(EncoderSpec.builtIn(n.strip()));
    }
    return new Space(specs, inputs(input), maxLength);
  }

  /**
   * The input modes searched: pair+response for "auto" (the response alone lost on every encoder
   * set measured, docs/encoder-choice.md), both for "search", else {@code input} alone.
   */
  public static List<InputStrategy> inputs(String input) {
    if (input.equals("search")) {
      return List.of(InputStrategy.PAIR_AND_RESPONSE, InputStrategy.RESPONSE);
    }
    return List.of(
        input.equals("auto") ? InputStrategy.PAIR_AND_RESPONSE : InputStrategy.fromName(input));
  }

  /**
   * The encoder of a run on {@code labeled}: {@code fallback} as the user fixed it when {@code
   * space} is null, else searched. A search encodes {@code labeled} (only them) with each encoder
   * of {@code space} and chooses; seeded by {@code seed}, so a run is reproducible. Too few labels
   * (below {@link #MIN_PAIRS}, or from fewer than two prompts) choose {@code fallback} with a note.
   */
  public static Choice resolve(
      Space space,
      EncoderConfig fallback,
      List<PreferencePair> labeled,
      TrainConfig head,
      EncoderRuntime runtime,
      long seed)
      throws IOException {
    if (space == null) {
      return Choice.fixed(fallback);
    }
    int[] groups = groups(labeled);
    int groupCount = groups.length == 0 ? 0 : IntStream.of(groups).max().getAsInt() + 1;
    if (labeled.size() < MIN_PAIRS || groupCount < 2) {
      return new Choice(
          fallback,
          List.of(),
          labeled.size(),
          0,
          "auto kept the default: "
              + labeled.size()
              + " labeled pairs from "
              + groupCount
              + " prompts are too few to choose an encoder from");
    }
    return choose(candidates(space, labeled, runtime), groups, head, seed, runtime.progress());
  }

  /** Every candidate of {@code space}, its labeled features sliced from each encoder's. */
  static List<Candidate> candidates(
      Space space, List<PreferencePair> labeled, EncoderRuntime runtime) throws IOException {
    InputStrategy encoded = space.encoded();
    List<EncoderConfig> configs = new ArrayList<>();
    List<PairFeatures> features = new ArrayList<>();
    List<Integer> widths = new ArrayList<>();
    List<Double> costs = new ArrayList<>();
    for (EncoderSpec spec : space.encoders()) {
      EncoderConfig config =
          EncoderConfig.of(spec, false, space.maxLength(), encoded.cliName()).pinned();
      try (Featurizer f = runtime.open(config)) {
        configs.add(f.config());
        features.add(PairEncoding.features(f, labeled).get(0));
        widths.add(f.dimension() / encoded.segments());
      }
      costs.add(relativeCost(spec));
    }
    List<Candidate> out = new ArrayList<>();
    int n = configs.size();
    for (int mask = 1; mask < (1 << n); mask++) {
      for (InputStrategy input : space.inputs()) {
        List<EncoderConfig> views = new ArrayList<>();
        List<PairFeatures> parts = new ArrayList<>();
        double cost = 0;
        for (int e = 0; e < n; e++) {
          if ((mask & (1 << e)) != 0) {
            views.add(configs.get(e).withStrategy(input));
            parts.add(slice(features.get(e), widths.get(e), encoded, input));
            cost += costs.get(e) * input.segments(); // sequences read per answer
          }
        }
        EncoderConfig config = views.size() == 1 ? views.get(0) : EncoderConfig.concat(views);
        out.add(new Candidate(config, cost, join(parts)));
      }
    }
    return out;
  }

  private static double relativeCost(EncoderSpec spec) throws IOException {
    Double known = RELATIVE_COST.get(spec.name());
    if (known != null) {
      return known;
    }
    double size = EncoderSpec.readAll(spec.model()).length;
    double reference = EncoderSpec.readAll(EncoderSpec.builtIn(EncoderSpec.DEFAULT).model()).length;
    return Math.round(100 * size / reference) / 100.0;
  }

  /**
   * The part of features encoded as {@code encoded} that {@code input} reads: pair+response is
   * [pair | response], so pair is its first half and the response alone its second (the same cache
   * entries, so the same vectors as a run reading that input).
   */
  private static PairFeatures slice(
      PairFeatures f, int width, InputStrategy encoded, InputStrategy input) {
    if (encoded == input) {
      return f;
    }
    int from = input == InputStrategy.RESPONSE ? width : 0;
    return new PairFeatures(
        PairFeatures.mapRows(f.chosen(), r -> java.util.Arrays.copyOfRange(r, from, from + width)),
        PairFeatures.mapRows(
            f.rejected(), r -> java.util.Arrays.copyOfRange(r, from, from + width)));
  }

  /** Features side by side, as a several-encoder featurizer joins them. */
  private static PairFeatures join(List<PairFeatures> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return new PairFeatures(
        Featurizer.sideBySide(parts.stream().map(PairFeatures::chosen).toList()),
        Featurizer.sideBySide(parts.stream().map(PairFeatures::rejected).toList()));
  }

  /** Each labeled pair's prompt group: pairs of one prompt share a fold. */
  static int[] groups(List<PreferencePair> labeled) {
    int[] out = new int[labeled.size()];
    List<List<Integer>> groups = Prompt.groups(labeled, PreferencePair::prompt);
    for (int g = 0; g < groups.size(); g++) {
      for (int i : groups.get(g)) {
        out[i] = g;
      }
    }
    return out;
  }

  /**
   * Out-of-fold margins of each labeled pair under a candidate: for each fold, the head trained on
   * the other folds (a seeded slice of them early-stopping it, as `ser train` does) scores it.
   */
  static double[] outOfFoldMargins(
      PairFeatures labeled, int[] foldOf, TrainConfig head, long seed) {
    int folds = IntStream.of(foldOf).max().getAsInt() + 1;
    double[] margins = new double[labeled.size()];
    for (int f = 0; f < folds; f++) {
      final int fold = f;
      int[] train = IntStream.range(0, foldOf.length).filter(i -> foldOf[i] != fold).toArray();
      int[] held = IntStream.range(0, foldOf.length).filter(i -> foldOf[i] == fold).toArray();
      SeedSplit inner = SeedSplit.of(train.length, head.validationFraction(), seed + f);
      PairFeatures fit = labeled.select(Permutations.pick(train, inner.train()));
      PairFeatures stop = labeled.select(Permutations.pick(train, inner.validation()));
      TrainedHead h = new RewardTrainer(head.withSeed(seed + f), Progress.quiet()).train(fit, stop);
      PairFeatures out = labeled.select(held);
      float[][] c = h.normalizer().apply(out.chosen());
      float[][] r = h.normalizer().apply(out.rejected());
      for (int i = 0; i < held.length; i++) {
        margins[held[i]] = h.head().score(c[i]) - h.head().score(r[i]);
      }
    }
    return margins;
  }

  /** 1 for a right margin, 0 for a wrong one, a half for a tie. */
  static double correct(double margin) {
    return margin > 0 ? 1 : margin < 0 ? 0 : 0.5;
  }

  /** The logistic loss of a margin, log(1 + e^-m), computed without overflow. */
  static double logLoss(double margin) {
    return margin > 0 ? Math.log1p(Math.exp(-margin)) : -margin + Math.log1p(Math.exp(margin));
  }

  /**
   * The rule on candidates whose labeled features are at hand: out-of-fold figures for each, then
   * the richest within one standard error of the best accuracy ({@link #richer}; ties: the earlier
   * candidate). {@code groups}: each pair's prompt group.
   */
  public static Choice choose(
      List<Candidate> candidates, int[] groups, TrainConfig head, long seed, Progress progress) {
    int[] foldOf = SeedSplit.byGroup(groups, FOLDS, seed);
    int folds = IntStream.of(foldOf).max().getAsInt() + 1;
    int n = groups.length;
    double[][] right = new double[candidates.size()][];
    double[][] losses = new double[candidates.size()][];
    double[] accuracy = new double[candidates.size()];
    double[] loss = new double[candidates.size()];
    try (Progress.Task task = progress.start("choose encoder", candidates.size(), "candidates")) {
      // Each candidate's fits are seeded alone, so running them at once changes nothing.
      IntStream.range(0, candidates.size())
          .parallel()
          .forEach(
              c -> {
                right[c] = new double[n];
                losses[c] = new double[n];
                double[] m = outOfFoldMargins(candidates.get(c).labeled(), foldOf, head, seed);
                for (int i = 0; i < n; i++) {
                  right[c][i] = correct(m[i]);
                  losses[c][i] = logLoss(m[i]);
                }
                accuracy[c] = mean(right[c]);
                loss[c] = mean(losses[c]);
                synchronized (task) {
                  task.step(1);
                }
              });
    }
    int best = 0;
    for (int c = 1; c < candidates.size(); c++) {
      if (accuracy[c] > accuracy[best] || (accuracy[c] == accuracy[best] && loss[c] < loss[best])) {
        best = c;
      }
    }
    int lowest = 0;
    for (int c = 1; c < candidates.size(); c++) {
      if (loss[c] < loss[lowest]) {
        lowest = c;
      }
    }
    double[] behind = new double[candidates.size()];
    double[] se = new double[candidates.size()];
    double[] above = new double[candidates.size()];
    double[] aboveSe = new double[candidates.size()];
    int chosen = best;
    for (int c = 0; c < candidates.size(); c++) {
      double[] d = new double[n];
      double[] e = new double[n];
      for (int i = 0; i < n; i++) {
        d[i] = right[best][i] - right[c][i];
        e[i] = losses[c][i] - losses[lowest][i];
      }
      behind[c] = accuracy[best] - accuracy[c];
      se[c] = standardError(d);
      above[c] = loss[c] - loss[lowest];
      aboveSe[c] = standardError(e);
      boolean within = behind[c] <= standardError(right[best]) + 1e-12;
      if (within && richer(candidates.get(c), candidates.get(chosen), c, chosen, accuracy, loss)) {
        chosen = c;
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int c = 0; c < candidates.size(); c++) {
      double half = 1.96 * Math.sqrt(accuracy[c] * (1 - accuracy[c]) / n);
      EncoderConfig e = candidates.get(c).encoder();
      rows.add(
          new Row(
              e.name(),
              e.strategy().cliName(),
              candidates.get(c).cost(),
              accuracy[c],
              Math.max(0, accuracy[c] - half),
              Math.min(1, accuracy[c] + half),
              loss[c],
              behind[c],
              se[c],
              above[c],
              aboveSe[c],
              c == chosen));
    }
    return new Choice(candidates.get(chosen).encoder(), rows, n, folds, null);
  }

  /**
   * Whether candidate {@code a} is richer than {@code b}: more encoders, then both sequences read
   * (pair+response), then the higher out-of-fold accuracy, then the lower log-loss.
   */
  private static boolean richer(
      Candidate a, Candidate b, int ai, int bi, double[] accuracy, double[] loss) {
    int byEncoders = Integer.compare(encoders(a), encoders(b));
    if (byEncoders != 0) {
      return byEncoders > 0;
    }
    int bySegments =
        Integer.compare(a.encoder().strategy().segments(), b.encoder().strategy().segments());
    if (bySegments != 0) {
      return bySegments > 0;
    }
    if (accuracy[ai] != accuracy[bi]) {
      return accuracy[ai] > accuracy[bi];
    }
    return loss[ai] < loss[bi];
  }

  private static int encoders(Candidate c) {
    return c.encoder().isConcat() ? c.encoder().views().size() : 1;
  }

  private static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  /** The standard error of the mean of {@code x}: sample deviation over root n. */
  static double standardError(double[] x) {
    if (x.length < 2) {
      return 0;
    }
    double m = mean(x);
    double ss = 0;
    for (double v : x) {
      ss += (v - m) * (v - m);
    }
    return Math.sqrt(ss / (x.length - 1) / x.length);
  }
}
