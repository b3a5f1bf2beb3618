package org.ser4j.model;

/**
 * One training epoch, for every trainer: mean training loss, validation loss and accuracy (NaN
 * without held-out pairs), wall time, and training pairs' sequences or vectors per second.
 */
public record Epoch(
    int epoch,
    double trainLoss,
    double validationLoss,
    double validationAccuracy,
    double seconds,
    double itemsPerSecond) {}
