package org.ser4j.model.head;

import java.io.IOException;
import java.util.List;
import org.ser4j.encoder.Featurizer;
import org.ser4j.encoder.ResponseInput;
import org.ser4j.model.RewardScorer;

/**
 * A {@link HeadModel} (frozen encoder + head) with its {@link Featurizer}: features are cached,
 * then the head scores.
 */
public final class FeatureScorer implements RewardScorer {
  private final HeadModel model;
  private final Featurizer featurizer;

  public FeatureScorer(HeadModel model, Featurizer featurizer) {
    this.model = model;
    this.featurizer = featurizer;
  }

  @Override
  public HeadModel model() {
    return model;
  }

  public Featurizer featurizer() {
    return featurizer;
  }

  @Override
  public double[] rewards(List<ResponseInput> inputs) throws IOException {
    return model.score(featurizer, inputs);
  }

  @Override
  public void close() {
    featurizer.close();
  }
}
