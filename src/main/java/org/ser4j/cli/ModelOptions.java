package org.ser4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.ser4j.model.ModelStore;
import org.ser4j.model.RewardScorer;
import org.ser4j.model.TrainedModel;
import org.ser4j.ser.RunStore;
import org.ser4j.util.Progress;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A saved model and the runtime to run its encoder: shared by the commands that use a model. */
public final class ModelOptions {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description =
          "Model directory written by `ser train`, or a `ser evolve` run directory (its final/ model: the kept loop's) (frozen or fine-tuned encoder).")
  Path dir;

  @Mixin RuntimeOptions runtime = new RuntimeOptions();

  /** The model directory {@code --model} names: itself, or a run directory's final model. */
  Path modelDir() throws IOException {
    return RunStore.modelDir(dir);
  }

  /** The model, whichever family wrote the directory. */
  TrainedModel load() throws IOException {
    return ModelStore.load(modelDir());
  }

  /**
   * The model's scorer; fails if the encoder weights found now are not the ones it was trained
   * with.
   */
  RewardScorer open(Progress progress) throws IOException {
    return load().open(runtime.toRuntime(progress));
  }

  /** Fails early, before any data is read, when {@code --model} is no model directory. */
  void requireModel() throws IOException {
    ModelStore.require(modelDir());
  }
}
