package io.fulcrum.model;

/**
 * What a target tracking policy keeps its metric at.
 *
 * @param targetValue the metric's target, in the metric's unit (requests per target per minute for
 *     ALBRequestCountPerTarget, as in AWS; percent for ASGAverageCPUUtilization; seconds for
 *     ALBTargetResponseTime)
 * @param disableScaleIn true: the policy only ever adds instances
 */
public record TargetTrackingConfiguration(PredefinedMetric predefinedMetric, double targetValue, boolean disableScaleIn) {
}
