package org.ser4j.ser;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.ser4j.ser.select.LoopStatus;

/**
 * What one SER loop did. Loop 0 is the RM trained on the labeled seed alone. {@code
 * selfLabelPrecision} is the share of this loop's self-labels that agree with the hidden human
 * labels (measured, never trained on).
 */
public record LoopReport(
    @JsonProperty("loop") int loop,
    @JsonProperty("status") LoopStatus status,
    @JsonProperty("rule") String rule,
    @JsonProperty("selected") int selected,
    @JsonProperty("selected_total") int selectedTotal,
    @JsonProperty("self_label_precision") Double selfLabelPrecision,
    @JsonProperty("pool_remaining") int poolRemaining,
    @JsonProperty("train_pairs") int trainPairs,
    @JsonProperty("train_loss") double trainLoss,
    @JsonProperty("validation_loss") double validationLoss,
    @JsonProperty("validation_accuracy") double validationAccuracy,
    @JsonProperty("test_accuracy") double testAccuracy,
    @JsonProperty("best_epoch") int bestEpoch,
    @JsonProperty("seconds") double seconds,
    @JsonProperty("diagnostics") @JsonInclude(JsonInclude.Include.NON_NULL)
        LoopDiagnostics diagnostics) {}
