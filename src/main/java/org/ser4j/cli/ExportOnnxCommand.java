package org.ser4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ser4j.model.ModelStore;
import org.ser4j.model.finetune.FineTunedModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `ser export-onnx`: a fine-tuned model as one ONNX graph that outputs the reward. */
@Command(
    name = "export-onnx",
    mixinStandardHelpOptions = true,
    description =
        "Export a fine-tuned model (--finetune top:K, full or lora) to DIR/model.onnx: the pretrained graph with the trained weights (LoRA merged), mean pooling and the head appended, output 'reward' [batch]. "
            + "Its SHA-256 goes into config.json, and from then on ser eval, score, best-of-n and serve score the directory through ONNX Runtime.")
public final class ExportOnnxCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description = "A fine-tuned model directory, or a `ser evolve --finetune` run directory.")
  Path model;

  @Option(
      names = "--int8",
      description =
          "Quantize the graph's dense weights to int8 (per output column) with dynamic int8 activations: faster, slightly different rewards (default: ${DEFAULT-VALUE}).")
  boolean int8;

  @Override
  public Integer call() throws Exception {
    Path dir = org.ser4j.ser.RunStore.modelDir(model);
    if (!(ModelStore.load(dir) instanceof FineTunedModel ft)) {
      throw new IllegalArgumentException(
          dir
              + ": a frozen-encoder model already scores through ONNX Runtime; export-onnx is for fine-tuned models");
    }
    long t0 = System.nanoTime();
    FineTunedModel exported = ft.exportOnnx(dir, int8);
    spec.commandLine()
        .getOut()
        .printf(
            java.util.Locale.ROOT,
            "wrote %s (%.1f MB, SHA-256 %s) in %.1f s%n",
            exported.onnx().path(),
            Files.size(exported.onnx().path()) / 1e6,
            exported.onnx().sha256().substring(0, 12),
            (System.nanoTime() - t0) / 1e9);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
