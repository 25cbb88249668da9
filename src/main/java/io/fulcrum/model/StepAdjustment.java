package io.fulcrum.model;

/**
 * One step of a step scaling policy: when the metric minus the alarm's threshold is in
 * [lower bound, upper bound), the capacity changes by {@code scalingAdjustment}. A null bound is
 * infinite, as in AWS.
 */
public record StepAdjustment(Double metricIntervalLowerBound, Double metricIntervalUpperBound, int scalingAdjustment) {
    /** True when {@code difference} (metric minus threshold) falls in this step. */
    public boolean contains(double difference) {
        return (metricIntervalLowerBound == null || difference >= metricIntervalLowerBound)
                && (metricIntervalUpperBound == null || difference < metricIntervalUpperBound);
    }
}
