package io.fulcrum.model;

/**
 * A scaling policy of an auto scaling group: it changes the group's desired capacity as a metric moves.
 *
 * @param targetTracking set for {@link ScalingPolicyType#TargetTrackingScaling}
 */
public record ScalingPolicy(String name, ScalingPolicyType type, TargetTrackingConfiguration targetTracking) {
}
