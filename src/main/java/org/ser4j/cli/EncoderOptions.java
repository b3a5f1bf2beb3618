package org.ser4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderSpec;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.InputStrategy;
import org.ser4j.encoder.Pooling;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which encoder makes the features, and how: shared by the commands that train a model. */
public final class EncoderOptions {
  public static final String DEFAULT_MAX_LENGTH = "256";
  public static final String DEFAULT_INPUT = "pair+response";

  @Option(names = "--encoder", paramLabel = "NAME", defaultValue = EncoderSpec.DEFAULT,
      description = "Built-in encoder: bge-small-q (bge-small-en-v1.5 int8, CLS pooling) or minilm-l6-q (all-MiniLM-L6-v2 int8, mean pooling, about 1.7x faster, 2 points less accurate) (default: ${DEFAULT-VALUE}).")
  String encoder;

  @Option(names = "--encoder-model", paramLabel = "FILE", description = "A local BERT-style ONNX encoder instead of a built-in (needs --tokenizer) (default: none).")
  Path encoderModel;

  @Option(names = "--tokenizer", paramLabel = "FILE", description = "The tokenizer.json of --encoder-model (default: none).")
  Path tokenizer;

  @Option(names = "--pooling", paramLabel = "P", defaultValue = "mean", description = "Pooling of --encoder-model: mean or cls (default: ${DEFAULT-VALUE}).")
  String pooling;

  @Option(names = "--max-length", paramLabel = "N", defaultValue = DEFAULT_MAX_LENGTH, description = "Max tokens per encoded sequence; the prompt is cut from the left (default: ${DEFAULT-VALUE}).")
  int maxLength;

  @Option(names = "--input", paramLabel = "MODE", defaultValue = DEFAULT_INPUT,
      description = "What is encoded: pair (prompt tail + response as one sequence), pair+response (that, concatenated with the response alone), response (default: ${DEFAULT-VALUE}).")
  String input;

  @Mixin RuntimeOptions runtime = new RuntimeOptions();

  EncoderConfig toConfig() {
    EncoderSpec spec;
    if (encoderModel != null) {
      if (tokenizer == null) {
        throw new IllegalArgumentException("--encoder-model needs --tokenizer (its tokenizer.json)");
      }
      spec = EncoderSpec.local(encoderModel, tokenizer, Pooling.valueOf(pooling.toUpperCase(java.util.Locale.ROOT)));
    } else {
      spec = EncoderSpec.builtIn(encoder);
    }
    return new EncoderConfig(spec.name(), spec.model(), spec.tokenizer(), spec.pooling(), maxLength, InputStrategy.fromName(input), null);
  }

  Featurizer open() throws IOException {
    return runtime.open(toConfig());
  }
}
