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
}
