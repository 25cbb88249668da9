package io.fulcrum.scaling;

/** The error codes of AWS's EC2 Auto Scaling API that Fulcrum's group operations can answer with. */
public enum AutoScalingErrorCode {
    /** A request that is wrong as it stands: an unknown instance, a capacity outside min..max, a wrong state. */
    ValidationError,
    /** The change must wait: a scaling activity or the cooldown is in progress ({@code HonorCooldown}). */
    ScalingActivityInProgress,
    /** Another change to the group is under way that this one would conflict with. */
    ResourceContention,
    /** An instance refresh is already running ({@code StartInstanceRefresh}). */
    InstanceRefreshInProgress,
    /** No instance refresh is running to cancel or roll back. */
    ActiveInstanceRefreshNotFound
}
