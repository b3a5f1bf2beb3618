package org.ser4j.ser;

import java.io.IOException;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderRuntime;
import org.ser4j.model.finetune.FineTuneConfig;
import org.ser4j.model.finetune.FineTuneLearner;
import org.ser4j.model.head.HeadLearner;
import org.ser4j.model.head.TrainConfig;
import org.ser4j.model.learn.RewardLearner;

/** The one place the commands and the API pick a model family's learner. */
public final class Learners {
  private Learners() {}

  /**
   * The learner for a model family: with {@code fineTune} null, a frozen {@code encoder} with a
   * {@code head} trained on its features (the featurizer is opened here and closed with the
   * learner); else the encoder learns (its weights pinned by fingerprint).
   */
  public static RewardLearner open(
      EncoderConfig encoder,
      TrainConfig head,
      FineTuneConfig fineTune,
      int heads,
      EncoderRuntime runtime)
      throws IOException {
    if (fineTune != null && head != null && !head.debias().isEmpty()) {
      throw new IllegalArgumentException(
          "--debias is built for frozen encoders with a linear head, not for --finetune");
    }
    if (fineTune == null) {
      return HeadLearner.encoding(runtime.open(encoder), true, head, runtime.progress());
    }
    return new FineTuneLearner(
        fineTune,
        encoder.pinned(),
        heads,
        runtime.cacheRoot(),
        runtime.threads(),
        runtime.progress());
  }
}
