package io.fulcrum.model;

/** How a step or simple scaling policy's adjustment changes the desired capacity, by AWS's names. */
public enum AdjustmentType {
    /** Adds the adjustment (negative: removes). */
    ChangeInCapacity,
    /** Sets the desired capacity to the adjustment. */
    ExactCapacity,
    /**
     * Adds the adjustment as a percentage of the desired capacity, rounded as AWS rounds: towards zero
     * beyond ±1, away from zero between -1 and 1; at least {@code minAdjustmentMagnitude}.
     */
    PercentChangeInCapacity
}
