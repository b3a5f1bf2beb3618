package org.ser4j.model.learn;

import java.io.IOException;
import java.util.List;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.split.SeedSplit;
import org.ser4j.data.split.SerDataset;
import org.ser4j.model.Epoch;
import org.ser4j.model.PairRewards;
import org.ser4j.model.Provenance;
import org.ser4j.model.TrainedModel;
import org.ser4j.util.Progress;

/**
 * What the one {@code SerLoop} asks of a reward model family: read the run's texts once, train an
 * immutable model on labeled + self-labeled pairs, and score pairs with a given model. A frozen
 * encoder + head ({@code HeadLearner}) and a fine-tuned encoder ({@code FineTuneLearner}) plug in;
 * a new family (a distributed one) is a third implementation, not a second loop.
 */
public interface RewardLearner extends AutoCloseable {
  /** Encodes or tokenizes every text of {@code data} (once; it is the data of every later call). */
  void load(SerDataset data) throws IOException;

  /**
   * Trains a model on {@code train}, early-stopped on {@code validation}, seeded by {@code seed}:
   * from the pretrained start, or from {@code start} (a warm start) when it is not null. The model
   * comes back immutable, stamped {@link Provenance#UNKNOWN}; the learner keeps no model of its
   * own.
   */
  Fit fit(TrainingSet train, TrainingSet validation, long seed, TrainedModel start)
      throws IOException;

  /**
   * Trains on all of {@code train} for {@code epochs} epochs with nothing held out: the final fit
   * of a loop whose epoch count cross-validation chose.
   */
  Fit fitEpochs(TrainingSet train, int epochs, long seed, TrainedModel start) throws IOException;

  /**
   * A plain training run (`ser train`) on the {@code labeledPairs} loaded pairs: a seeded {@code
   * validationFraction} of them ({@link SeedSplit#forTraining}) early-stops the rest.
   */
  default Fit fitLabeled(int labeledPairs, double validationFraction, long seed)
      throws IOException {
    SeedSplit split = SeedSplit.forTraining(labeledPairs, validationFraction, seed);
    return fit(
        TrainingSet.labeled(split.train()), TrainingSet.labeled(split.validation()), seed, null);
  }

  /**
   * Whether several fits (and pool scorings) may run at once on this learner, as the decision
   * folds' do on idle cores: true only where they share nothing mutable (default false).
   */
  default boolean concurrentFits() {
    return false;
  }

  /**
   * {@code model}'s rewards of pool pairs: first answers as {@code chosen}, second as {@code
   * rejected}.
   */
  PairRewards poolRewards(TrainedModel model, List<UnlabeledPair> pairs) throws IOException;

  /** {@code model}'s rewards of a training set's pairs. */
  PairRewards rewards(TrainedModel model, TrainingSet pairs) throws IOException;

  /** {@code model}'s rewards of the test pairs. */
  PairRewards testRewards(TrainedModel model) throws IOException;

  /**
   * The training mode report.json records: "none" for a frozen encoder, else the fine-tuning mode.
   */
  String finetune();

  /**
   * Where this learner's fits and scorings show their progress; side fits (fold runs, calibration
   * folds, reviewers) run on it as one task with one bar ({@link Progress.Hideable#asOneTask}).
   */
  Progress.Hideable progress();

  /** A line on the learner's caches for the closing report, or null. */
  String cacheSummary();

  @Override
  void close();

  /** The encoder this learner reads texts with (with the weights' fingerprint once loaded). */
  org.ser4j.encoder.EncoderConfig encoder();

  /**
   * What a fit did: the model it trained, every epoch, the 1-based epoch whose weights were kept,
   * the validation pairs, and family-specific figures for metrics.json (optimizer steps, cache
   * counts, throughput).
   */
  record Fit(
      TrainedModel model,
      List<Epoch> history,
      int bestEpoch,
      int validationPairs,
      java.util.Map<String, Object> details) {
    public Epoch best() {
      return history.get(bestEpoch - 1);
    }
  }
}
