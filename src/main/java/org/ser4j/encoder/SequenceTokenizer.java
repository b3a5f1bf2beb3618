package org.ser4j.encoder;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;

/**
 * Builds BERT-style inputs with our own truncation: {@code [CLS] context-tail [SEP] text-head
 * [SEP]}. The context (a prompt) is cut from the left so its last turn survives; the text (a
 * response) from the right; the response keeps at least half the budget when both are long.
 */
public final class SequenceTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final long cls;
  private final long sep;
  private final int maxLength;

  SequenceTokenizer(String location, int maxLength) throws IOException {
    if (maxLength < 8) {
      throw new IllegalArgumentException("max length must be at least 8 tokens, got " + maxLength);
    }
    System.setProperty("ai.djl.offline", "true");
    try (InputStream in = EncoderSpec.open(location)) {
      this.tokenizer =
          HuggingFaceTokenizer.newInstance(
              in, Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    }
    long[] special = tokenizer.encode("", true, false).getIds();
    if (special.length != 2) {
      throw new IOException(
          location
              + ": expected a BERT-style tokenizer that wraps text in [CLS] ... [SEP], got "
              + special.length
              + " special tokens");
    }
    this.cls = special[0];
    this.sep = special[1];
    this.maxLength = maxLength;
  }

  /** A tokenizer from a tokenizer.json location ({@code classpath:NAME} or a path). */
  public static SequenceTokenizer open(String location, int maxLength) throws IOException {
    return new SequenceTokenizer(location, maxLength);
  }

  public int maxLength() {
    return maxLength;
  }

  /** {@code [CLS] text [SEP]}, cut to the max length from the right. */
  public TokenizedInput single(String text) {
    long[] body = tokens(text, false);
    int keep = Math.min(body.length, maxLength - 2);
    long[] ids = new long[keep + 2];
    ids[0] = cls;
    System.arraycopy(body, 0, ids, 1, keep);
    ids[keep + 1] = sep;
    return new TokenizedInput(ids, new long[ids.length]);
  }

  /** {@code [CLS] context-tail [SEP] text-head [SEP]} with token types 0 then 1. */
  public TokenizedInput pair(String context, String text) {
    long[] a = tokens(context, true);
    long[] b = tokens(text, false);
    int budget = maxLength - 3;
    int keepA = Math.min(a.length, Math.max(budget / 2, budget - b.length));
    int keepB = Math.min(b.length, budget - keepA);
    long[] ids = new long[keepA + keepB + 3];
    long[] types = new long[ids.length];
    ids[0] = cls;
    System.arraycopy(a, a.length - keepA, ids, 1, keepA);
    ids[keepA + 1] = sep;
    System.arraycopy(b, 0, ids, keepA + 2, keepB);
    ids[ids.length - 1] = sep;
    Arrays.fill(types, keepA + 2, ids.length, 1L);
    return new TokenizedInput(ids, types);
  }

  /**
   * The one sequence a learning encoder reads for {@code input}: {@link #pair} of the prompt and
   * the response, or the response alone ({@link #single}).
   */
  public TokenizedInput sequence(ResponseInput input, InputStrategy strategy) {
    switch (strategy) {
      case PAIR:
        return pair(input.prompt().transcript(), input.response());
      case RESPONSE:
        return single(input.response());
      default:
        throw new IllegalArgumentException(
            "a fine-tuned encoder reads one sequence: use --encoder-input pair or response, not "
                + strategy.cliName());
    }
  }

  /**
   * Token ids without special tokens. Very long texts are cut in characters first (about 8
   * characters a token is generous) so the tokenizer never sees megabytes it would throw away.
   */
  private long[] tokens(String text, boolean keepTail) {
    int chars = maxLength * 8;
    if (text.length() > chars) {
      text = keepTail ? text.substring(text.length() - chars) : text.substring(0, chars);
    }
    Encoding encoding = tokenizer.encode(text, false, false);
    return encoding.getIds();
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
