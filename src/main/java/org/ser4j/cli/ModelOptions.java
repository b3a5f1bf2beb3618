package org.ser4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.ser4j.model.FeatureScorer;
import org.ser4j.model.FineTunedScorer;
import org.ser4j.model.ModelStore;
import org.ser4j.model.RewardModel;
import org.ser4j.model.RewardScale;
import org.ser4j.model.RewardScorer;
import org.ser4j.util.Progress;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A saved model and the runtime to run its encoder: shared by the commands that use a model. */
public final class ModelOptions {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory written by `ser train` or `ser evolve` (frozen or fine-tuned encoder).")
  Path dir;

  @Mixin RuntimeOptions runtime = new RuntimeOptions();

  /** A frozen-encoder model (for the commands that only handle those). */
  RewardModel load() throws IOException {
    return ModelStore.load(dir);
  }

  /**
   * The model's scorer, whichever kind the directory holds; fails if the encoder weights found now
   * are not the ones it was trained with.
   */
  RewardScorer open(Progress progress) throws IOException {
    if (ModelStore.isFineTuned(dir)) {
      return new FineTunedScorer(ModelStore.loadFineTuned(dir), progress);
    }
    RewardModel model = load();
    return new FeatureScorer(model, runtime.open(model.encoder(), progress));
  }

  /** Fails early, before any data is read, when {@code --model} is no model directory. */
  void requireModel() throws IOException {
    if (!java.nio.file.Files.isRegularFile(dir.resolve(ModelStore.CONFIG))) {
      throw new IOException(dir + ": not a model directory (no " + ModelStore.CONFIG + ")");
    }
  }

  /** Rewrites the model directory with a new reward scale (weights unchanged). */
  void saveScale(RewardScorer scorer, RewardScale scale) throws IOException {
    if (scorer instanceof FineTunedScorer f) {
      ModelStore.save(f.model().withScale(scale), dir);
    } else {
      ModelStore.save(((FeatureScorer) scorer).model().withScale(scale), dir);
    }
  }
}
