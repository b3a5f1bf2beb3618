package org.ser4j.ser;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The learner engines on the class path: {@link LearnerEngine#LOCAL} and every engine a jar lists
 * in {@code META-INF/services/org.ser4j.ser.LearnerEngine} (ser4j-spark's {@code spark}).
 */
public final class LearnerEngines {
  private LearnerEngines() {}

  /** Local first, then the others in class-path order; a fresh instance of each. */
  public static List<LearnerEngine> available() {
    List<LearnerEngine> out = new ArrayList<>(List.of(LearnerEngine.LOCAL));
    for (LearnerEngine e : ServiceLoader.load(LearnerEngine.class)) {
      if (out.stream().anyMatch(o -> o.name().equals(e.name()))) {
        throw new IllegalStateException(
            "two learner engines named " + e.name() + " on the class path: " + e.getClass());
      }
      out.add(e);
    }
    return out;
  }

  /** The engine of that name among {@code engines}; a clear error names the ones there are. */
  public static LearnerEngine named(String name, List<LearnerEngine> engines) {
    return engines.stream()
        .filter(e -> e.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--engine "
                        + name
                        + ": no such learner engine on this class path (there are: "
                        + engines.stream()
                            .map(LearnerEngine::name)
                            .collect(Collectors.joining(", "))
                        + ")"
                        + (name.equals("spark") ? "; the Spark engine comes with ser-spark" : "")));
  }
}
