package org.ser4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.format.PairReader;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.RewardScale;
import org.ser4j.model.RewardScorer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `ser scale`: fix the scale of the rewards a model hands out, in its config. */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    description =
        "Set how a model's rewards are scaled for callers (ser serve, ser score, ser best-of-n, ser eval): zscore from a reference set of pairs, baseline (sigmoid, clipped at --baseline, mapped to [-1, 1], as the reference PPO code), or none; "
            + "with --length-debias, first the reward's linear trend in response length (characters) on the reference set is subtracted (post-hoc reward calibration), which can change which answer ranks first. Rewrites the model's config.json.")
public final class ScaleCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ModelOptions model;

  @Option(
      names = "--method",
      paramLabel = "M",
      defaultValue = "zscore",
      description = "zscore, baseline or none (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(
      names = "--reference",
      paramLabel = "FILE",
      description =
          "Preference pairs whose responses (both sides) define mean and std for zscore (default: none).")
  java.nio.file.Path reference;

  @Option(
      names = "--baseline",
      paramLabel = "B",
      defaultValue = "0.5",
      description = "The baseline b for --method baseline (default: ${DEFAULT-VALUE}).")
  double baseline;

  @Option(
      names = "--length-debias",
      description =
          "Subtract the reward's least-squares trend in response length, fitted on --reference's responses (default: ${DEFAULT-VALUE}).")
  boolean lengthDebias;

  @Override
  public Integer call() throws Exception {
    RewardScorer rm = model.open(model.runtime.progress());
    double[] rewards = null;
    int[] lengths = null;
    if (method.equals("zscore") || lengthDebias) {
      if (reference == null) {
        throw new IllegalArgumentException(
            (lengthDebias ? "--length-debias" : "--method zscore") + " needs --reference FILE");
      }
      List<ResponseInput> inputs = new ArrayList<>();
      for (PreferencePair p :
          PairReader.readAll(
                  reference, org.ser4j.data.format.ReadOptions.defaults().withSkipBad(true))
              .pairs()) {
        inputs.add(new ResponseInput(p.prompt(), p.chosen()));
        inputs.add(new ResponseInput(p.prompt(), p.rejected()));
      }
      rewards = rm.rewards(inputs);
      lengths = inputs.stream().mapToInt(i -> i.response().length()).toArray();
    }
    RewardScale scale = RewardScale.fit(method, baseline, lengthDebias, rewards, lengths);
    rm.model().withScale(scale).save(model.modelDir());
    rm.close();
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "reward scale of %s: %s (mean %.4f, std %.4f, baseline %.2f)%s%n",
            model.dir,
            scale.method(),
            scale.mean(),
            scale.std(),
            scale.baseline(),
            scale.correctsLength()
                ? String.format(
                    Locale.ROOT,
                    ", length correction %.3g per 1,000 characters around %.0f",
                    1000 * scale.lengthSlope(),
                    scale.lengthMean())
                : "");
    spec.commandLine().getOut().flush();
    return 0;
  }
}
