package io.fulcrum.model;

/** A scaling policy's type, by AWS's name; only target tracking is implemented so far. */
public enum ScalingPolicyType {
    TargetTrackingScaling, StepScaling, SimpleScaling
}
