package org.ser4j.ser;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.ser4j.ser.select.LoopStatus;

/**
 * What one SER loop did. Loop 0 is the RM trained on the labeled seed alone. {@code
 * selfLabelPrecision} is the share of this loop's self-labels that agree with the hidden human
 * labels (measured, never trained on), null for a pool nobody judged; {@code testAccuracy} is null
 * without a test set. {@code expectedPrecision} (only for a pool nobody judged) is the mean
 * probability the RM gave its self-labels' chosen answers: calibrated by the fitted temperature
 * under pair-confidence, the raw (usually overconfident) Bradley-Terry probability under the
 * threshold rules. A loop with status labels-added retrained on a seed that people enlarged ({@code
 * labelsAdded}: how many labels were added in all, {@code selfLabelsContradicted}: how many earlier
 * self-labels they contradicted, dropped); the kept loop and the stop rules look only at the loops
 * from the last such loop on.
 */
public record LoopReport(
    @JsonProperty("loop") int loop,
    @JsonProperty("status") LoopStatus status,
    @JsonProperty("rule") String rule,
    @JsonProperty("selected") int selected,
    @JsonProperty("selected_total") int selectedTotal,
    @JsonProperty("self_label_precision") Double selfLabelPrecision,
    @JsonProperty("pool_remaining") long poolRemaining,
    @JsonProperty("train_pairs") int trainPairs,
    @JsonProperty("train_loss") double trainLoss,
    @JsonProperty("validation_loss") double validationLoss,
    @JsonProperty("validation_accuracy") double validationAccuracy,
    @JsonProperty("test_accuracy") Double testAccuracy,
    @JsonProperty("best_epoch") int bestEpoch,
    @JsonProperty("seconds") double seconds,
    @JsonProperty("diagnostics") @JsonInclude(JsonInclude.Include.NON_NULL)
        LoopDiagnostics diagnostics,
    @JsonProperty("expected_precision") @JsonInclude(JsonInclude.Include.NON_NULL)
        Double expectedPrecision,
    @JsonProperty("labels_added") @JsonInclude(JsonInclude.Include.NON_NULL) Integer labelsAdded,
    @JsonProperty("self_labels_contradicted") @JsonInclude(JsonInclude.Include.NON_NULL)
        Integer selfLabelsContradicted,
    @JsonProperty("views") @JsonInclude(JsonInclude.Include.NON_NULL)
        java.util.Map<String, Object> views,
    @JsonProperty("debias") @JsonInclude(JsonInclude.Include.NON_NULL)
        java.util.Map<String, Object> debias,
    @JsonProperty("style_splits") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        java.util.List<org.ser4j.eval.StyleSplit> styleSplits) {

  /** A loop without co-trained views. */
  public LoopReport(
      int loop,
      LoopStatus status,
      String rule,
      int selected,
      int selectedTotal,
      Double selfLabelPrecision,
      long poolRemaining,
      int trainPairs,
      double trainLoss,
      double validationLoss,
      double validationAccuracy,
      Double testAccuracy,
      int bestEpoch,
      double seconds,
      LoopDiagnostics diagnostics,
      Double expectedPrecision,
      Integer labelsAdded,
      Integer selfLabelsContradicted) {
    this(
        loop,
        status,
        rule,
        selected,
        selectedTotal,
        selfLabelPrecision,
        poolRemaining,
        trainPairs,
        trainLoss,
        validationLoss,
        validationAccuracy,
        testAccuracy,
        bestEpoch,
        seconds,
        diagnostics,
        expectedPrecision,
        labelsAdded,
        selfLabelsContradicted,
        null,
        null,
        null);
  }

  /** Whether this loop began a new phase: people added labels to the seed before it. */
  public boolean startsPhase() {
    return status == LoopStatus.LABELS_ADDED;
  }
}
