package io.fulcrum.model;

import java.time.Duration;
import java.util.List;

/**
 * A scaling policy of an auto scaling group: it changes the group's desired capacity as a metric moves.
 *
 * @param targetTracking set for {@link ScalingPolicyType#TargetTrackingScaling}
 * @param alarm when a step or simple policy acts (they have no CloudWatch alarm here)
 * @param adjustmentType how {@code stepAdjustments} or {@code scalingAdjustment} change the capacity
 * @param stepAdjustments the steps of a {@link ScalingPolicyType#StepScaling} policy
 * @param scalingAdjustment the adjustment of a {@link ScalingPolicyType#SimpleScaling} policy (null otherwise)
 * @param minAdjustmentMagnitude with PercentChangeInCapacity, the smallest change in instances (null: 1)
 * @param cooldown a simple policy's cooldown, null for the group's {@code defaultCooldown}
 */
public record ScalingPolicy(String name, ScalingPolicyType type, TargetTrackingConfiguration targetTracking,
                            PolicyAlarm alarm, AdjustmentType adjustmentType, List<StepAdjustment> stepAdjustments,
                            Integer scalingAdjustment, Integer minAdjustmentMagnitude, Duration cooldown) {
    public ScalingPolicy {
        stepAdjustments = Lists.copy(stepAdjustments);
    }

    /** A target tracking policy. */
    public ScalingPolicy(String name, ScalingPolicyType type, TargetTrackingConfiguration targetTracking) {
        this(name, type, targetTracking, null, null, List.of(), null, null, null);
    }
}
