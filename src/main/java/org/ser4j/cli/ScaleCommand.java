package org.ser4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.ser4j.data.PairReader;
import org.ser4j.data.PreferencePair;
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
        "Set how a model's rewards are scaled for callers (ser serve, ser score, ser best-of-n): zscore from a reference set of pairs, baseline (sigmoid, clipped at --baseline, mapped to [-1, 1], as the reference PPO code), or none. Rewrites the model's config.json.")
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

  @Override
  public Integer call() throws Exception {
    RewardScorer rm = model.open(model.runtime.progress());
    RewardScale scale;
    switch (method) {
      case "zscore":
        if (reference == null) {
          throw new IllegalArgumentException("--method zscore needs --reference FILE");
        }
        List<ResponseInput> inputs = new ArrayList<>();
        for (PreferencePair p :
            PairReader.readAll(reference, org.ser4j.data.ReadOptions.defaults().withSkipBad(true))
                .pairs()) {
          inputs.add(new ResponseInput(p.prompt(), p.chosen()));
          inputs.add(new ResponseInput(p.prompt(), p.rejected()));
        }
        scale = RewardScale.zscore(rm.rewards(inputs));
        break;
      case "baseline":
        scale = RewardScale.baseline(baseline);
        break;
      case "none":
        scale = RewardScale.NONE;
        break;
      default:
        throw new IllegalArgumentException(
            "unknown --method '" + method + "'; expected zscore, baseline or none");
    }
    rm.model().withScale(scale).save(model.dir);
    rm.close();
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "reward scale of %s: %s (mean %.4f, std %.4f, baseline %.2f)%n",
            model.dir,
            scale.method(),
            scale.mean(),
            scale.std(),
            scale.baseline());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
