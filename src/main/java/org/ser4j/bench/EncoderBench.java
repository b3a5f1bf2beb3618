package org.ser4j.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ser4j.data.PreferencePair;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.InputStrategy;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.encoder.TokenizedInput;
import org.ser4j.util.Json;
import org.ser4j.util.Progress;

/**
 * The encoder's whole pipeline (tokenize, schedule, encode, pool) against ONNX Runtime alone on the
 * same pre-tokenized, length-sorted batches with the same parallelism: the ceiling. Best of two
 * runs each, side by side, since absolute speeds differ from machine to machine.
 */
public final class EncoderBench {
  private EncoderBench() {}

  /** The first {@code texts} answers of {@code pairs}: chosen, rejected, chosen, ... */
  public static List<ResponseInput> answers(List<PreferencePair> pairs, int texts) {
    List<ResponseInput> answers = new ArrayList<>();
    for (PreferencePair p : pairs.subList(0, Math.min(pairs.size(), (texts + 1) / 2))) {
      answers.add(new ResponseInput(p.prompt(), p.chosen()));
      answers.add(new ResponseInput(p.prompt(), p.rejected()));
    }
    return answers.subList(0, Math.min(texts, answers.size()));
  }

  /**
   * One encoder input per text (the pair sequence only), so both sides encode exactly the same
   * sequences.
   */
  public static EncoderConfig pairOnly(EncoderConfig config) {
    return config.withStrategy(InputStrategy.PAIR).withFingerprint(null);
  }

  /**
   * Texts/s of ours and of ONNX Runtime alone on {@code inputs} encoded by {@code config} (as
   * {@link #pairOnly} makes it); keys encoder_texts_per_s, onnxruntime_texts_per_s,
   * encoder_vs_ceiling, mean_tokens.
   */
  public static ObjectNode measure(
      EncoderConfig config, List<ResponseInput> inputs, int threads, int batch) throws Exception {
    Ceiling c;
    try (Featurizer warm = Featurizer.open(config, null, Progress.quiet(), threads, batch)) {
      c = ceiling(warm, inputs, threads, batch);
    }
    double ours = ours(config, inputs, threads, batch);
    long tokens = c.tokenized().stream().mapToLong(TokenizedInput::length).sum();
    ObjectNode row = Json.PRETTY.createObjectNode();
    row.put("mean_tokens", (double) tokens / c.tokenized().size());
    row.put("encoder_texts_per_s", ours);
    row.put("onnxruntime_texts_per_s", c.textsPerS());
    row.put("encoder_vs_ceiling", ours / c.textsPerS());
    return row;
  }

  /**
   * One encoder's ceiling: {@code inputs} tokenized by it (in order, and the seconds that took),
   * and ONNX Runtime alone on them, length-sorted, best of two runs after a warm-up.
   */
  private record Ceiling(
      List<TokenizedInput> tokenized, double tokenizeSeconds, double textsPerS) {}

  private static Ceiling ceiling(Featurizer f, List<ResponseInput> inputs, int threads, int batch)
      throws Exception {
    List<TokenizedInput> tokenized = new ArrayList<>();
    long t0 = System.nanoTime();
    for (ResponseInput in : inputs) {
      tokenized.add(f.tokenizer().pair(in.prompt().transcript(), in.response()));
    }
    double tokenizeSeconds = Timing.since(t0);
    List<TokenizedInput> sorted = new ArrayList<>(tokenized);
    sorted.sort(Comparator.comparingInt(TokenizedInput::length));
    f.features(inputs.subList(0, Math.min(40, inputs.size()))); // JIT and ORT warm-up
    double best = 0;
    for (int rep = 0; rep < 2; rep++) {
      best = Math.max(best, rawThroughput(f, sorted, threads, batch));
    }
    return new Ceiling(tokenized, tokenizeSeconds, best);
  }

  /** Our whole pipeline on {@code inputs}, texts/s: best of two featurizers with cold caches. */
  private static double ours(
      EncoderConfig config, List<ResponseInput> inputs, int threads, int batch) throws Exception {
    double best = 0;
    for (int rep = 0; rep < 2; rep++) {
      try (Featurizer fresh = Featurizer.open(config, null, Progress.quiet(), threads, batch)) {
        best = Math.max(best, inputs.size() / Timing.seconds(() -> fresh.features(inputs)));
      }
    }
    return best;
  }

  /** ONNX Runtime alone on pre-tokenized, length-sorted batches, with our parallelism. */
  private static double rawThroughput(
      Featurizer f, List<TokenizedInput> sorted, int threads, int batch) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long t0 = System.nanoTime();
      List<Future<?>> jobs = new ArrayList<>();
      for (int s = 0; s < sorted.size(); s += batch) {
        List<TokenizedInput> b = sorted.subList(s, Math.min(sorted.size(), s + batch));
        jobs.add(pool.submit(() -> f.encoder().runRaw(b)));
      }
      for (Future<?> j : jobs) {
        j.get();
      }
      return sorted.size() / Timing.since(t0);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Several encoders side by side, as `--encoder A,B,C` reads texts: for the first encoder alone,
   * the first two, and so on, our featurizer's texts/s against ONNX Runtime alone on the same
   * pre-tokenized texts with each of those encoders one after the other (the sum of their times),
   * with the seconds spent tokenizing for them and the share of texts each encoder's tokenizer
   * turns into the same token ids as the first's (where they agree, one tokenization could serve).
   * Keys per row: encoders, encoder_texts_per_s, onnxruntime_texts_per_s, encoder_vs_ceiling,
   * tokenize_seconds, same_ids_as_first.
   */
  public static List<ObjectNode> views(
      List<EncoderConfig> views, List<ResponseInput> inputs, int threads, int batch)
      throws Exception {
    int n = views.size();
    Ceiling[] ceilings = new Ceiling[n];
    for (int v = 0; v < n; v++) {
      try (Featurizer f = Featurizer.open(views.get(v), null, Progress.quiet(), threads, batch)) {
        ceilings[v] = ceiling(f, inputs, threads, batch);
      }
    }
    List<ObjectNode> rows = new ArrayList<>();
    double rawSeconds = 0;
    double tokenizeSeconds = 0;
    for (int k = 1; k <= n; k++) {
      Ceiling last = ceilings[k - 1];
      rawSeconds += inputs.size() / last.textsPerS();
      tokenizeSeconds += last.tokenizeSeconds();
      int same = 0;
      for (int i = 0; i < inputs.size(); i++) {
        same +=
            java.util.Arrays.equals(
                    last.tokenized().get(i).ids(), ceilings[0].tokenized().get(i).ids())
                ? 1
                : 0;
      }
      List<EncoderConfig> used = views.subList(0, k);
      EncoderConfig config = k == 1 ? used.get(0) : EncoderConfig.concat(used);
      double ours = ours(config, inputs, threads, batch);
      double ceiling = inputs.size() / rawSeconds;
      ObjectNode row = Json.PRETTY.createObjectNode();
      row.put("encoders", config.name());
      row.put("encoder_texts_per_s", ours);
      row.put("onnxruntime_texts_per_s", ceiling);
      row.put("encoder_vs_ceiling", ours / ceiling);
      row.put("tokenize_seconds", tokenizeSeconds);
      row.put("same_ids_as_first", (double) same / inputs.size());
      rows.add(row);
    }
    return rows;
  }
}
