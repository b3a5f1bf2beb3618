package org.ser4j.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ser4j.data.DataSpec;
import org.ser4j.data.PreferencePair;
import org.ser4j.data.SerDataset;
import org.ser4j.encoder.EncoderConfig;
import org.ser4j.encoder.EncoderSpec;
import org.ser4j.model.Provenance;
import org.ser4j.model.finetune.FineTuneConfig;
import org.ser4j.model.head.TrainConfig;
import org.ser4j.ser.FineTuneLearner;
import org.ser4j.ser.HeadLearner;
import org.ser4j.ser.RewardLearner;

/**
 * The one place the commands pick a model family: a frozen encoder + head, or with --finetune an
 * encoder that learns.
 */
final class Learners {
  private Learners() {}

  /**
   * {@code fineTune} null: a frozen encoder with a {@code head} trained on its features; else the
   * encoder learns.
   */
  static RewardLearner open(
      EncoderConfig encoder,
      TrainConfig head,
      FineTuneConfig fineTune,
      int heads,
      RuntimeOptions runtime)
      throws IOException {
    if (fineTune == null) {
      return HeadLearner.encoding(runtime.open(encoder), true, head, runtime.progress());
    }
    EncoderConfig pinned =
        encoder.fingerprint() != null
            ? encoder
            : encoder.withFingerprint(EncoderSpec.fingerprint(encoder.model()));
    return new FineTuneLearner(fineTune, pinned, heads, runtime.cacheRoot(), runtime.progress());
  }

  /**
   * The provenance a command stamps on its models: its data, the labeled seed's fingerprint, and
   * its settings.
   */
  static Provenance provenance(String command, DataSpec spec, SerDataset data, Object... settings) {
    Map<String, Object> config = new LinkedHashMap<>();
    for (int i = 0; i + 1 < settings.length; i += 2) {
      if (settings[i + 1] != null) {
        config.put((String) settings[i], settings[i + 1]);
      }
    }
    return Provenance.of(
        command,
        spec.train().toString(),
        PreferencePair.fingerprint(data.labeled()),
        spec.seed(),
        spec.labeledFraction(),
        data.labeled().size(),
        -1,
        config);
  }
}
