package io.fulcrum.health;

/** The ALB reason codes a {@link HealthStatus} carries (DescribeTargetHealth's {@code Reason}). */
public final class ReasonCodes {
    /** initial: the first health checks are running. */
    public static final String INITIAL_HEALTH_CHECKING = "Elb.InitialHealthChecking";
    /** unhealthy: the HTTP check answered a status the matcher does not accept. */
    public static final String RESPONSE_CODE_MISMATCH = "Target.ResponseCodeMismatch";
    /** unhealthy: the check got no answer within its timeout. */
    public static final String TIMEOUT = "Target.Timeout";
    /** unhealthy: refused, reset, closed early, invalid answer, or passive ejection. */
    public static final String FAILED_HEALTH_CHECKS = "Target.FailedHealthChecks";
    /** unused: the target group is not used by any listener. */
    public static final String NOT_IN_USE = "Target.NotInUse";
    /** draining: the target was deregistered. */
    public static final String DEREGISTRATION_IN_PROGRESS = "Target.DeregistrationInProgress";

    private ReasonCodes() {
    }
}
