package org.ser4j.model.head;

import java.util.List;
import org.ser4j.data.UnlabeledPair;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.model.PairRewards;

/**
 * A run's texts as the frozen-encoder learner ({@link HeadLearner}) sees them: the seed's and the
 * test pairs' vectors at hand, the pool's wherever they live: in memory ({@link SerInputs}), or on
 * a cluster's executors (ser4j-spark), where the pool is also scored.
 */
public interface HeadFeatures {
  PairFeatures labeled();

  PairFeatures test();

  /** The vectors of pool pairs {@code keys}, in that order: first answers as chosen. */
  PairFeatures pool(int[] keys);

  /** {@code model}'s rewards of pool pairs, scored where their vectors are. */
  PairRewards poolRewards(HeadModel model, List<UnlabeledPair> pairs);

  EncoderConfig encoder();

  /**
   * Whether {@code set}'s fit should run where its pairs live (a cluster's executors, beyond a
   * bound: {@link FullBatchTrainer}, summed by {@link #rowsElsewhere}); false, the default, to
   * fetch their vectors to this process and fit them here.
   */
  default boolean fitsElsewhere(org.ser4j.model.learn.TrainingSet set) {
    return false;
  }

  /**
   * The style measures ({@link org.ser4j.data.Style#of}) of {@code labels}' chosen ([0]) and
   * rejected ([1]) answers, row for row, measured where their texts are: here, from the labels' own
   * texts; on a cluster, where the pool is.
   */
  default double[][][] selfLabelStyles(
      List<org.ser4j.data.Style> styles, List<org.ser4j.model.learn.SelfLabel> labels) {
    return new double[][][] {
      StyleInputs.measure(
          styles, labels.stream().map(org.ser4j.model.learn.SelfLabel::chosen).toList()),
      StyleInputs.measure(
          styles, labels.stream().map(org.ser4j.model.learn.SelfLabel::rejected).toList())
    };
  }

  /** The pairs of {@code set} summed where they live, for a set that {@link #fitsElsewhere}. */
  default FullBatchTrainer.Rows rowsElsewhere(org.ser4j.model.learn.TrainingSet set) {
    throw new UnsupportedOperationException("these features fit every set in this process");
  }
}
