package org.ser4j.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.data.split.SerDataset;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.model.PairRewards;
import org.ser4j.model.TrainedModel;
import org.ser4j.model.learn.RewardLearner;
import org.ser4j.model.learn.TrainingSet;
import org.ser4j.util.Progress;

/**
 * A learner that times every fit it passes on: how a SER loop's time divides between its fits (the
 * main fit and each decision fold's) and everything else. Scoring is passed on untimed.
 */
final class TimedLearner implements RewardLearner {
  /** One fit: with early stopping on held-out pairs ({@code judged}) or for fixed epochs. */
  record FitTime(boolean judged, int pairs, int epochs, double seconds) {}

  private final RewardLearner inner;
  private final List<FitTime> fits = java.util.Collections.synchronizedList(new ArrayList<>());

  TimedLearner(RewardLearner inner) {
    this.inner = inner;
  }

  /** The fits so far, in order. */
  List<FitTime> fits() {
    synchronized (fits) {
      return List.copyOf(fits);
    }
  }

  @Override
  public Fit fit(TrainingSet train, TrainingSet validation, long seed, TrainedModel start)
      throws IOException {
    long t0 = System.nanoTime();
    Fit f = inner.fit(train, validation, seed, start);
    fits.add(new FitTime(true, train.size(), f.history().size(), Timing.since(t0)));
    return f;
  }

  @Override
  public Fit fitEpochs(TrainingSet train, int epochs, long seed, TrainedModel start)
      throws IOException {
    long t0 = System.nanoTime();
    Fit f = inner.fitEpochs(train, epochs, seed, start);
    fits.add(new FitTime(false, train.size(), f.history().size(), Timing.since(t0)));
    return f;
  }

  @Override
  public boolean concurrentFits() {
    return inner.concurrentFits();
  }

  @Override
  public void load(SerDataset data) throws IOException {
    inner.load(data);
  }

  @Override
  public PairRewards poolRewards(TrainedModel model, List<UnlabeledPair> pairs) throws IOException {
    return inner.poolRewards(model, pairs);
  }

  @Override
  public PairRewards rewards(TrainedModel model, TrainingSet pairs) throws IOException {
    return inner.rewards(model, pairs);
  }

  @Override
  public PairRewards testRewards(TrainedModel model) throws IOException {
    return inner.testRewards(model);
  }

  @Override
  public String finetune() {
    return inner.finetune();
  }

  @Override
  public Progress.Hideable progress() {
    return inner.progress();
  }

  @Override
  public String cacheSummary() {
    return inner.cacheSummary();
  }

  @Override
  public EncoderConfig encoder() {
    return inner.encoder();
  }

  @Override
  public void close() {
    inner.close();
  }
}
