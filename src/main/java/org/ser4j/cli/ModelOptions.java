package org.ser4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.ser4j.encoder.Featurizer;
import org.ser4j.model.ModelStore;
import org.ser4j.model.RewardModel;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A saved model and the runtime to run its encoder: shared by the commands that use a model. */
public final class ModelOptions {
  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory written by `ser train`.")
  Path dir;

  @Mixin RuntimeOptions runtime = new RuntimeOptions();

  RewardModel load() throws IOException {
    return ModelStore.load(dir);
  }

  /** The model's own encoder; fails if the weights on the classpath or disk are not the ones it was trained with. */
  Featurizer open(RewardModel model) throws IOException {
    return runtime.open(model.encoder());
  }
}
