package org.ser4j.cli;

import org.ser4j.model.Loss;
import org.ser4j.model.head.CoTraining;
import org.ser4j.model.head.HeadType;
import org.ser4j.model.head.TrainConfig;
import picocli.CommandLine.Option;

/** How the reward head is trained. Defaults are {@link TrainConfig#defaults()}. */
public final class TrainOptions {
  @Option(
      names = "--head",
      paramLabel = "TYPE",
      defaultValue = "linear",
      description = "Reward head: linear or mlp (default: ${DEFAULT-VALUE}).")
  String head;

  @Option(
      names = "--hidden",
      paramLabel = "N",
      defaultValue = "256",
      description = "Hidden units of the mlp head (default: ${DEFAULT-VALUE}).")
  int hidden;

  @Option(
      names = "--loss",
      paramLabel = "L",
      defaultValue = "pairwise",
      description =
          "pairwise (Bradley-Terry), pointwise (BCE: chosen 1, rejected 0) or both (default: ${DEFAULT-VALUE}).")
  String loss;

  @Option(
      names = "--head-lr",
      paramLabel = "X",
      defaultValue = "1e-4",
      description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  double lr;

  @Option(
      names = "--weight-decay",
      paramLabel = "X",
      defaultValue = "1e-2",
      description = "Decoupled weight decay on weights (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(
      names = "--head-batch",
      paramLabel = "N",
      defaultValue = "64",
      description = "Pairs per optimizer step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--head-epochs",
      paramLabel = "N",
      defaultValue = "300",
      description = "Max epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--head-patience",
      paramLabel = "N",
      defaultValue = "15",
      description =
          "Stop after this many epochs without a lower validation loss (default: ${DEFAULT-VALUE}).")
  int patience;

  @Option(
      names = "--validation-fraction",
      paramLabel = "F",
      defaultValue = "0.1",
      description =
          "Share of the labeled pairs (in evolve: of the seed) held out to early-stop training and, without cross-validated decisions, to judge loops; never the test set (default: ${DEFAULT-VALUE}).")
  double validationFraction;

  @Option(
      names = "--views",
      paramLabel = "NAMES",
      description =
          "Co-training across encoders: two or three built-in frozen encoders (bge-small-q,minilm-l6-q[,e5-small-q]) read side by side, one linear head each; a self-label trains a view only where the other views, fitted on the human labels, vouch for it. Replaces --encoder (default: none, one encoder).")
  String views;

  @Option(
      names = "--view-labels",
      paramLabel = "RULE",
      defaultValue = "others",
      description =
          "With --views: others (a view takes the self-labels the other views vouch for) or unsure (only those it is itself unsure of) (default: ${DEFAULT-VALUE}).")
  String viewLabels;

  @Option(
      names = "--view-confidence",
      paramLabel = "P",
      defaultValue = "0.8",
      description =
          "With --views: the other views' mean probability at which they vouch for a self-label (default: ${DEFAULT-VALUE}).")
  double viewConfidence;

  @Option(
      names = "--views-final",
      paramLabel = "MODEL",
      defaultValue = "concat",
      description =
          "With --views: the model kept: concat (one head on all the features, trained on the seed and every self-label some view vouched for; measured the better on AlpacaEval and HH-RLHF, docs/views.md) or ensemble (the views' mean of standardized rewards, as one linear head) (default: ${DEFAULT-VALUE}).")
  String viewsFinal;

  @Option(
      names = "--view-select",
      paramLabel = "RULE",
      defaultValue = "ensemble",
      description =
          "With --views: which rewards the loop selects self-labels by: ensemble (the views' mean) or any (each pair by the view most sure of it, so one view's certainty can teach the others; with --views-final ensemble) (default: ${DEFAULT-VALUE}).")
  String viewSelect;

  @Option(
      names = "--debias",
      paramLabel = "STYLES",
      defaultValue = "none",
      description =
          "Learn style apart from quality (ODIN-like): length, markdown or length,markdown. A style head explains what answer length (and markdown) explain of the labels; the saved reward is the linear head kept uncorrelated with them, and the loop selects by it (default: ${DEFAULT-VALUE}; docs/best-of-n.md has the measurements).")
  String debias;

  /** The styles --debias names (the heads they go with are checked by TrainConfig). */
  java.util.List<org.ser4j.data.Style> debias() {
    return org.ser4j.data.Style.parse(debias);
  }

  /** The co-training settings, or null without --views. */
  CoTraining coTraining() {
    if (views == null) {
      return null;
    }
    if (!viewLabels.equals("others") && !viewLabels.equals("unsure")) {
      throw new IllegalArgumentException(
          "--view-labels: expected others or unsure, got " + viewLabels);
    }
    if (!viewsFinal.equals("ensemble") && !viewsFinal.equals("concat")) {
      throw new IllegalArgumentException(
          "--views-final: expected ensemble or concat, got " + viewsFinal);
    }
    if (!viewSelect.equals("ensemble") && !viewSelect.equals("any")) {
      throw new IllegalArgumentException(
          "--view-select: expected ensemble or any, got " + viewSelect);
    }
    if (viewSelect.equals("any") && !viewsFinal.equals("ensemble")) {
      throw new IllegalArgumentException(
          "--view-select any reads each view's rewards off the views' ensemble: give --views-final ensemble");
    }
    return new CoTraining(
        viewConfidence,
        viewLabels.equals("unsure"),
        viewsFinal.equals("ensemble"),
        viewSelect.equals("any"));
  }

  TrainConfig toConfig(long seed) {
    if (batch < 1 || epochs < 1 || patience < 1 || hidden < 1) {
      throw new IllegalArgumentException(
          "--head-batch, --head-epochs, --head-patience and --hidden must be at least 1");
    }
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "--validation-fraction must be in [0, 1), got " + validationFraction);
    }
    HeadType h = HeadType.valueOf(head.toUpperCase(java.util.Locale.ROOT));
    Loss l = Loss.valueOf(loss.toUpperCase(java.util.Locale.ROOT));
    return new TrainConfig(
        h,
        hidden,
        l,
        lr,
        weightDecay,
        batch,
        epochs,
        patience,
        validationFraction,
        seed,
        coTraining(),
        debias());
  }
}
