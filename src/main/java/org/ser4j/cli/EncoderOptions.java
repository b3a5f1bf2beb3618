package org.ser4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.PreferencePair;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderSpec;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.Pooling;
import org.ser4j.model.head.TrainConfig;
import org.ser4j.ser.EncoderSearch;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which encoder makes the features, and how: shared by the commands that train a model. */
public final class EncoderOptions {
  private static final String DEFAULT_MAX_LENGTH = "" + EncoderConfig.DEFAULT_MAX_LENGTH;
  private static final String DEFAULT_INPUT = EncoderConfig.DEFAULT_INPUT;
  private static final String FINETUNE_MAX_LENGTH = "" + EncoderConfig.FINETUNE_MAX_LENGTH;

  @Option(
      names = "--encoder",
      paramLabel = "NAME",
      defaultValue = "auto",
      description =
          "Built-in encoder: bge-small-q (bge-small-en-v1.5 int8, CLS pooling), minilm-l6-q (all-MiniLM-L6-v2 int8, mean pooling, about 1.7x faster, 2 points less accurate), "
              + "e5-small-q (e5-small-v2 int8, mean pooling, \"query: \" / \"passage: \" prefixes), minilm-l6 (all-MiniLM-L6-v2 float, 6 layers, can be fine-tuned) or bge-small (bge-small-en-v1.5 float, 12 layers, can be fine-tuned, about 2x slower); several frozen ones comma-separated (bge-small-q,minilm-l6-q): their features side by side under one head; "
              + "auto = chosen from your labeled pairs: each set of --encoder-candidates (alone and side by side) is scored by out-of-fold accuracy over the labeled pairs (folds by prompt), and the richest (most encoders, then pair+response) within one standard error of the best is used; only the labeled pairs are encoded by every candidate (see docs/encoder-choice.md); "
              + "with --finetune, auto = minilm-l6 (default: ${DEFAULT-VALUE}).")
  String encoder;

  @Option(
      names = "--encoder-candidates",
      paramLabel = "LIST",
      description =
          "The encoders --encoder auto chooses among, comma-separated; 'model' names the --encoder-model file (default: bge-small-q,minilm-l6-q,e5-small-q).")
  String candidates;

  @Option(
      names = "--encoder-model",
      paramLabel = "FILE",
      description =
          "A local BERT-style ONNX encoder instead of a built-in (needs --tokenizer) (default: none).")
  Path encoderModel;

  @Option(
      names = "--tokenizer",
      paramLabel = "FILE",
      description = "The tokenizer.json of --encoder-model (default: none).")
  Path tokenizer;

  @Option(
      names = "--pooling",
      paramLabel = "P",
      defaultValue = "mean",
      description = "Pooling of --encoder-model: mean or cls (default: ${DEFAULT-VALUE}).")
  String pooling;

  @Option(
      names = "--max-length",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Max tokens per encoded sequence; the prompt is cut from the left. 0 = auto: "
              + DEFAULT_MAX_LENGTH
              + " with a frozen encoder, "
              + FINETUNE_MAX_LENGTH
              + " with --finetune (CPU time) (default: ${DEFAULT-VALUE}).")
  int maxLength;

  @Option(
      names = "--encoder-input",
      paramLabel = "MODE",
      defaultValue = "auto",
      description =
          "What is encoded: pair (prompt tail + response as one sequence), pair+response (that, concatenated with the response alone), response; "
              + "auto = "
              + DEFAULT_INPUT
              + " with a frozen encoder, pair with --finetune; search = --encoder auto also tries each candidate on the response alone (default: ${DEFAULT-VALUE}).")
  String input;

  @Mixin RuntimeOptions runtime = new RuntimeOptions();

  EncoderConfig toConfig() {
    return toConfig(false);
  }

  /**
   * The encoder settings, with the auto defaults resolved for a frozen ({@code fineTune} false) or
   * learning encoder.
   */
  /** As {@link #toConfig(boolean)}, the encoders of {@code training}'s --views when given. */
  EncoderConfig toConfig(boolean fineTune, TrainOptions training) {
    if (training.views == null) {
      return toConfig(fineTune);
    }
    if (fineTune) {
      throw new IllegalArgumentException("--views co-trains frozen encoders; drop --finetune");
    }
    if (!encoder.equals("auto") || encoderModel != null) {
      throw new IllegalArgumentException("give --views NAMES or --encoder, not both");
    }
    if (!training.views.contains(",")) {
      throw new IllegalArgumentException("--views needs two or more encoders, comma-separated");
    }
    String own = encoder;
    encoder = training.views;
    try {
      return toConfig(false);
    } finally {
      encoder = own;
    }
  }

  EncoderConfig toConfig(boolean fineTune) {
    if (input.equals("search") && !encoder.equals("auto")) {
      throw new IllegalArgumentException(
          "--encoder-input search is a choice for --encoder auto; give pair, pair+response or response");
    }
    String input = this.input.equals("search") ? "auto" : this.input; // auto's fallback reads auto
    if (encoderModel == null) {
      return EncoderConfig.named(encoder, fineTune, maxLength, input);
    }
    return EncoderConfig.of(localSpec(), fineTune, maxLength, input);
  }

  /** The --encoder-model file with its --tokenizer and --pooling. */
  private EncoderSpec localSpec() {
    if (tokenizer == null) {
      throw new IllegalArgumentException("--encoder-model needs --tokenizer (its tokenizer.json)");
    }
    return EncoderSpec.local(
        encoderModel, tokenizer, Pooling.valueOf(pooling.toUpperCase(java.util.Locale.ROOT)));
  }

  /**
   * The encoder of a run on {@code labeled}: fixed by the options, or, for {@code --encoder auto}
   * with a frozen encoder, chosen from those pairs ({@link EncoderSearch}); the choice's table is
   * printed to {@code log} first.
   */
  EncoderSearch.Choice choose(
      boolean fineTune,
      TrainOptions training,
      List<PreferencePair> labeled,
      TrainConfig head,
      long seed,
      PrintWriter log)
      throws IOException {
    EncoderSearch.Choice choice =
        EncoderSearch.resolve(
            space(fineTune, training),
            toConfig(fineTune, training),
            labeled,
            head,
            runtime.toRuntime(),
            seed);
    choice.lines().forEach(log::println);
    log.flush();
    return choice;
  }

  /** What auto searches, or null when the options fix the encoder. */
  EncoderSearch.Space space(boolean fineTune, TrainOptions training) {
    boolean auto = encoder.equals("auto") && !fineTune && training.views == null;
    if (!auto || (encoderModel != null && candidates == null)) {
      if (candidates != null) {
        throw new IllegalArgumentException(
            "--encoder-candidates narrows --encoder auto with a frozen encoder; drop it with --encoder NAME, --views or --finetune");
      }
      return null;
    }
    List<EncoderSpec> specs = new ArrayList<>();
    for (String name :
        candidates == null ? EncoderSearch.DEFAULT_CANDIDATES : List.of(candidates.split(","))) {
      if (name.strip().equals("model")) {
        if (encoderModel == null) {
          throw new IllegalArgumentException(
              "--encoder-candidates model needs --encoder-model FILE and --tokenizer FILE");
        }
        specs.add(localSpec());
      } else {
        EncoderSpec spec = EncoderSpec.builtIn(name.strip());
        if (!spec.name().endsWith("-q")) {
          throw new IllegalArgumentException(
              "--encoder-candidates: "
                  + name
                  + " is a float encoder read for fine-tuning; the candidates are frozen int8 ones: "
                  + EncoderSearch.DEFAULT_CANDIDATES);
        }
        specs.add(spec);
      }
    }
    int length = maxLength > 0 ? maxLength : EncoderConfig.DEFAULT_MAX_LENGTH;
    return new EncoderSearch.Space(specs, EncoderSearch.inputs(input), length);
  }

  Featurizer open() throws IOException {
    return runtime.open(toConfig());
  }
}
