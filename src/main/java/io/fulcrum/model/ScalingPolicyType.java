package io.fulcrum.model;

/** A scaling policy's type, by AWS's name. */
public enum ScalingPolicyType {
    TargetTrackingScaling, StepScaling, SimpleScaling
}
