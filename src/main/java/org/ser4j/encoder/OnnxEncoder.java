package org.ser4j.encoder;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.ser4j.util.Progress;

/**
 * A BERT-style ONNX model run by ONNX Runtime: a batch of tokenized sequences in, one pooled vector
 * per sequence out. Batches are padded to their longest sequence only.
 */
public final class OnnxEncoder implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final Pooling pooling;
  private final boolean wantsTypeIds;
  private final int dimension;
  private final String fingerprint;
  private final boolean scalarOutput;

  public OnnxEncoder(EncoderSpec spec, int threads) throws IOException {
    this(EncoderSpec.readAll(spec.model()), spec.model(), spec.pooling(), threads);
  }

  /**
   * Runs {@code model} (bytes of an ONNX file named {@code name} in errors): a BERT-style encoder
   * whose first output is [batch, length, hidden], pooled here; or a graph whose first output is
   * one value per sequence ([batch], a reward), returned as 1-d vectors.
   */
  public OnnxEncoder(byte[] model, String name, Pooling pooling, int threads) throws IOException {
    this.fingerprint = sha256(model).substring(0, 12);
    this.pooling = pooling;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      this.session = env.createSession(model, options);
      this.wantsTypeIds = session.getInputNames().contains("token_type_ids");
      NodeInfo out = session.getOutputInfo().values().iterator().next();
      long[] shape = ((TensorInfo) out.getInfo()).getShape();
      this.scalarOutput = shape.length == 1;
      if (!scalarOutput && (shape.length != 3 || shape[2] <= 0)) {
        throw new IOException(
            name
                + ": expected output 0 to be [batch, length, hidden] or [batch], got "
                + Arrays.toString(shape));
      }
      this.dimension = scalarOutput ? 1 : (int) shape[2];
    } catch (OrtException e) {
      throw new IOException(name + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
    }
  }

  public int dimension() {
    return dimension;
  }

  /**
   * The first 12 hex digits of the model file's SHA-256: names the exact weights in caches and
   * model configs.
   */
  public String fingerprint() {
    return fingerprint;
  }

  /** Pooled vectors, one per input, in input order. */
  public float[][] embed(List<TokenizedInput> batch) {
    return run(batch, true);
  }

  /**
   * Pooled vectors of many sequences, in input order: sorted by length (less padding), {@code
   * batchSize} sequences a run, {@code threads} runs at once (sessions are thread-safe; with one
   * intra-op thread each, one run per core), each finished batch counted on {@code task}.
   */
  public float[][] embedAll(
      List<TokenizedInput> sequences, int batchSize, int threads, Progress.Task task)
      throws IOException {
    Integer[] byLength = new Integer[sequences.size()];
    for (int i = 0; i < byLength.length; i++) {
      byLength[i] = i;
    }
    Arrays.sort(byLength, Comparator.comparingInt(i -> sequences.get(i).length()));
    float[][] out = new float[sequences.size()][];
    ExecutorService pool = org.ser4j.util.DaemonThreads.pool(Math.max(1, threads), "ser4j-onnx");
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int start = 0; start < byLength.length; start += batchSize) {
        int from = start;
        int to = Math.min(byLength.length, start + batchSize);
        jobs.add(
            pool.submit(
                () -> {
                  List<TokenizedInput> batch = new ArrayList<>(to - from);
                  for (int j = from; j < to; j++) {
                    batch.add(sequences.get(byLength[j]));
                  }
                  float[][] vectors = embed(batch);
                  for (int j = from; j < to; j++) {
                    out[byLength[j]] = vectors[j - from];
                  }
                  task.step(to - from);
                }));
      }
      for (Future<?> job : jobs) {
        job.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running ONNX Runtime", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  /**
   * Runs the model alone, output discarded: the ceiling that the encoder benchmark compares
   * against.
   */
  public void runRaw(List<TokenizedInput> batch) {
    run(batch, false);
  }

  private float[][] run(List<TokenizedInput> batch, boolean pooled) {
    int n = batch.size();
    int length = 0;
    for (TokenizedInput in : batch) {
      length = Math.max(length, in.length());
    }
    long[] ids = new long[n * length];
    long[] mask = new long[n * length];
    long[] types = new long[n * length];
    for (int i = 0; i < n; i++) {
      TokenizedInput in = batch.get(i);
      System.arraycopy(in.ids(), 0, ids, i * length, in.length());
      System.arraycopy(in.typeIds(), 0, types, i * length, in.length());
      Arrays.fill(mask, i * length, i * length + in.length(), 1L);
    }
    long[] shape = {n, length};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
      inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
      if (wantsTypeIds) {
        inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
      }
      try (OrtSession.Result result = session.run(inputs)) {
        if (!pooled) {
          return null;
        }
        FloatBuffer states = ((OnnxTensor) result.get(0)).getFloatBuffer();
        if (scalarOutput) {
          float[][] values = new float[n][1];
          for (int i = 0; i < n; i++) {
            values[i][0] = states.get(i);
          }
          return values;
        }
        return pool(states, mask, n, length);
      }
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed on a batch of " + n + " x " + length + ": " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private float[][] pool(FloatBuffer states, long[] mask, int n, int length) {
    float[][] out = new float[n][dimension];
    for (int i = 0; i < n; i++) {
      float[] v = out[i];
      if (pooling == Pooling.CLS) {
        states.get(i * length * dimension, v, 0, dimension);
        continue;
      }
      int count = 0;
      for (int t = 0; t < length; t++) {
        if (mask[i * length + t] == 0) {
          continue;
        }
        count++;
        int base = (i * length + t) * dimension;
        for (int d = 0; d < dimension; d++) {
          v[d] += states.get(base + d);
        }
      }
      for (int d = 0; d < dimension; d++) {
        v[d] /= Math.max(1, count);
      }
    }
    return out;
  }

  /** The SHA-256 of {@code bytes}, in hex: what fingerprints and model configs record. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    }
  }
}
