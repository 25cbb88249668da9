package io.fulcrum.health;

import static java.util.Objects.requireNonNull;

/**
 * One consistent view of a target's health: state, ALB reason code and description, swapped as a whole.
 *
 * @param state the target state
 * @param reason an ALB reason code from {@link ReasonCodes}; null when healthy
 * @param description ALB-like free text, e.g. "Health checks failed with these codes: [502]"; null when
 *                    healthy after passing checks
 * @param passive true when passive signals (not the active checks) put the target in this state
 */
public record HealthStatus(TargetState state, String reason, String description, boolean passive) {
    /** The status of a newly registered target. */
    public static final HealthStatus INITIAL = new HealthStatus(TargetState.INITIAL,
            ReasonCodes.INITIAL_HEALTH_CHECKING, "Initial health checks in progress");
    /** The status after passing the active checks. */
    public static final HealthStatus HEALTHY = new HealthStatus(TargetState.HEALTHY, null, null);
    /** The status while health checks are disabled: routable, as routing needs (ALB would say unavailable). */
    public static final HealthStatus HEALTHY_CHECKS_DISABLED = new HealthStatus(TargetState.HEALTHY, null,
            "Health checks are disabled");
    /** The status of a target whose group no listener uses. */
    public static final HealthStatus UNUSED = new HealthStatus(TargetState.UNUSED, ReasonCodes.NOT_IN_USE,
            "Target group is not configured to receive traffic from the load balancer");
    /** The status of a deregistered target finishing its requests. */
    public static final HealthStatus DRAINING = new HealthStatus(TargetState.DRAINING,
            ReasonCodes.DEREGISTRATION_IN_PROGRESS, "Target deregistration is in progress");

    public HealthStatus {
        requireNonNull(state, "state");
    }

    /** A status set by the active checks or an operator. */
    public HealthStatus(TargetState state, String reason, String description) {
        this(state, reason, description, false);
    }

    /** True when the balancer may pick this target (healthy). */
    public boolean routable() {
        return state == TargetState.HEALTHY;
    }

    @Override
    public String toString() {
        return reason == null
                ? state.configName() + (description == null ? "" : " (" + description + ")")
                : state.configName() + " (" + reason + ": " + description + ")";
    }
}
