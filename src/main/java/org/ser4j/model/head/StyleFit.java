package org.ser4j.model.head;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.ser4j.data.Style;

/**
 * The style head a debiased fit learned beside the quality head ({@link StyleTerm}), for the
 * report: it is not part of the saved reward.
 *
 * @param coefficients reward per standard deviation of each style over the training answers
 * @param perUnit reward per raw unit (per 1,000 characters; per markdown element)
 * @param styleShare the style head's share of the training reward's variance (style + quality)
 * @param constraints the directions the quality head's weights were kept orthogonal to
 */
public record StyleFit(
    @JsonProperty("styles") List<Style> styles,
    @JsonProperty("coefficients") double[] coefficients,
    @JsonProperty("per_unit") double[] perUnit,
    @JsonProperty("style_mean") double[] mean,
    @JsonProperty("style_std") double[] std,
    @JsonProperty("style_share") double styleShare,
    @JsonProperty("constraints") int constraints) {

  /** The figures as written to metrics.json and the loop log. */
  @com.fasterxml.jackson.annotation.JsonValue
  public Map<String, Object> toMap() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("styles", styles.stream().map(Style::label).toList());
    m.put("coefficients", coefficients);
    m.put("per_unit", perUnit);
    m.put("style_share", styleShare);
    m.put("constraints", constraints);
    return m;
  }

  /**
   * One line: "style head: length +0.84/sd (+0.61 per 1,000 chars), 23% of the reward variance".
   */
  public String line() {
    StringBuilder b = new StringBuilder("style head (not in the saved reward):");
    for (int k = 0; k < styles.size(); k++) {
      b.append(
          String.format(
              java.util.Locale.ROOT,
              " %s %+.3f per sd (%+.3f per %s);",
              styles.get(k).label(),
              coefficients[k],
              perUnit[k],
              styles.get(k) == Style.LENGTH ? "1,000 chars" : "element"));
    }
    b.append(
        String.format(
            java.util.Locale.ROOT, " %.1f%% of the training reward's variance", 100 * styleShare));
    return b.toString();
  }
}
