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
    double bestOurs = 0;
    double bestRaw = 0;
    double meanTokens;
    try (Featurizer warm = Featurizer.open(config, null, Progress.quiet(), threads, batch)) {
      List<TokenizedInput> tokenized = new ArrayList<>();
      long tokens = 0;
      for (ResponseInput in : inputs) {
        TokenizedInput t = warm.tokenizer().pair(in.prompt().transcript(), in.response());
        tokenized.add(t);
        tokens += t.length();
      }
      meanTokens = (double) tokens / tokenized.size();
      tokenized.sort(Comparator.comparingInt(TokenizedInput::length));
      warm.features(inputs.subList(0, Math.min(40, inputs.size()))); // JIT and ORT warm-up
      for (int rep = 0; rep < 2; rep++) {
        bestRaw = Math.max(bestRaw, rawThroughput(warm, tokenized, threads, batch));
        try (Featurizer fresh = Featurizer.open(config, null, Progress.quiet(), threads, batch)) {
          bestOurs =
              Math.max(bestOurs, inputs.size() / Timing.seconds(() -> fresh.features(inputs)));
        }
      }
    }
    ObjectNode row = Json.PRETTY.createObjectNode();
    row.put("mean_tokens", meanTokens);
    row.put("encoder_texts_per_s", bestOurs);
    row.put("onnxruntime_texts_per_s", bestRaw);
    row.put("encoder_vs_ceiling", bestOurs / bestRaw);
    return row;
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
    double[] rawSeconds = new double[n];
    double[] tokenizeSeconds = new double[n];
    double[] sameIds = new double[n];
    List<TokenizedInput> first = null;
    for (int v = 0; v < n; v++) {
      try (Featurizer f = Featurizer.open(views.get(v), null, Progress.quiet(), threads, batch)) {
        List<TokenizedInput> tokenized = new ArrayList<>();
        long t0 = System.nanoTime();
        for (ResponseInput in : inputs) {
          tokenized.add(f.tokenizer().pair(in.prompt().transcript(), in.response()));
        }
        tokenizeSeconds[v] = Timing.since(t0);
        if (first == null) {
          first = tokenized;
        }
        int same = 0;
        for (int i = 0; i < tokenized.size(); i++) {
          same += java.util.Arrays.equals(tokenized.get(i).ids(), first.get(i).ids()) ? 1 : 0;
        }
        sameIds[v] = (double) same / tokenized.size();
        List<TokenizedInput> sorted = new ArrayList<>(tokenized);
        sorted.sort(Comparator.comparingInt(TokenizedInput::length));
        f.features(inputs.subList(0, Math.min(40, inputs.size()))); // JIT and ORT warm-up
        double best = 0;
        for (int rep = 0; rep < 2; rep++) {
          best = Math.max(best, rawThroughput(f, sorted, threads, batch));
        }
        rawSeconds[v] = sorted.size() / best;
      }
    }
    List<ObjectNode> rows = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      List<EncoderConfig> used = views.subList(0, k);
      EncoderConfig config = k == 1 ? used.get(0) : EncoderConfig.concat(used);
      double ours = 0;
      for (int rep = 0; rep < 2; rep++) {
        try (Featurizer fresh = Featurizer.open(config, null, Progress.quiet(), threads, batch)) {
          ours = Math.max(ours, inputs.size() / Timing.seconds(() -> fresh.features(inputs)));
        }
      }
      double raw = 0;
      double tokenize = 0;
      for (int v = 0; v < k; v++) {
        raw += rawSeconds[v];
        tokenize += tokenizeSeconds[v];
      }
      ObjectNode row = Json.PRETTY.createObjectNode();
      row.put("encoders", config.name());
      row.put("encoder_texts_per_s", ours);
      row.put("onnxruntime_texts_per_s", inputs.size() / raw);
      row.put("encoder_vs_ceiling", ours / (inputs.size() / raw));
      row.put("tokenize_seconds", tokenize);
      row.put("same_ids_as_first", sameIds[k - 1]);
      rows.add(row);
    }
    return rows;
  }
}
