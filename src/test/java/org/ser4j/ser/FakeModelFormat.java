package org.ser4j.ser;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.ser4j.model.ModelFormat;
import org.ser4j.model.Provenance;
import org.ser4j.model.TrainedModel;

/** Reads a {@link FakeLearner.Model} back, so that a fake run saves and resumes as a real one. */
public final class FakeModelFormat implements ModelFormat {
  static final String NAME = "ser4j-test-fake-model";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TrainedModel load(Path dir, JsonNode c) {
    return new FakeLearner.Model(
        c.get("fit").asInt(),
        c.get("accuracy").asDouble(),
        c.get("sharpness").asDouble(),
        c.get("reviewer").asBoolean(),
        Provenance.UNKNOWN);
  }
}
