package org.ser4j.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one epoch loop of every trainer (a head on frozen features, a fine-tuned encoder): trains
 * epoch after epoch, keeps the weights of the epoch with the lowest judged loss (the validation
 * loss, or the training loss with nothing held out) when it beats the best so far by more than
 * {@value #MIN_IMPROVEMENT}, and stops after {@code patience} epochs without such an epoch.
 */
public final class EpochLoop {
  /** An epoch must lower the judged loss by more than this to count as better. */
  public static final double MIN_IMPROVEMENT = 1e-6;

  /** What the loop drives: a model family's training step, evaluation and weight snapshot. */
  public interface Trainee {
    /** Trains one epoch over the training pairs; returns their mean loss. */
    double trainEpoch(int epoch);

    /** The current weights' loss and accuracy on the held-out pairs. */
    Loss.Evaluation validate();

    /** Remembers the current weights as the best so far. */
    void keepBest();
  }

  /** Every epoch run, and the 1-based epoch whose weights were kept. */
  public record Result(List<Epoch> history, int bestEpoch) {}

  private EpochLoop() {}

  /**
   * Runs up to {@code maxEpochs} epochs of {@code trainee}; {@code validated} says whether it holds
   * pairs out; {@code items} is the count of training items an epoch goes through (for its speed);
   * {@code onEpoch} is told each epoch (progress).
   */
  public static Result run(
      int maxEpochs,
      int patience,
      boolean validated,
      long items,
      Trainee trainee,
      Consumer<Epoch> onEpoch) {
    List<Epoch> history = new ArrayList<>();
    double bestLoss = Double.POSITIVE_INFINITY;
    int bestEpoch = 0;
    for (int epoch = 1; epoch <= maxEpochs; epoch++) {
      long t0 = System.nanoTime();
      double trainLoss = trainee.trainEpoch(epoch);
      double seconds = (System.nanoTime() - t0) / 1e9;
      Loss.Evaluation v = validated ? trainee.validate() : Loss.Evaluation.NONE;
      Epoch e = new Epoch(epoch, trainLoss, v.loss(), v.accuracy(), seconds, items / seconds);
      history.add(e);
      onEpoch.accept(e);
      double judged = validated ? v.loss() : trainLoss;
      if (judged < bestLoss - MIN_IMPROVEMENT) {
        bestLoss = judged;
        bestEpoch = epoch;
        trainee.keepBest();
      } else if (epoch - bestEpoch >= patience) {
        break;
      }
    }
    return new Result(history, bestEpoch);
  }

  /** Tells {@code task} of each epoch: a step, and the epoch's training and validation loss. */
  public static Consumer<Epoch> reporting(org.ser4j.util.Progress.Task task) {
    return e -> {
      task.step(1);
      task.message(
          String.format(
              java.util.Locale.ROOT, "loss %.4f val %.4f", e.trainLoss(), e.validationLoss()));
    };
  }
}
