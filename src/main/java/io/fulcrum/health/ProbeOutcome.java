package io.fulcrum.health;

/** How one active health check probe ended; each failure maps to an ALB reason code. */
public enum ProbeOutcome {
    /** HTTP status accepted by the matcher, or TCP connect succeeded. */
    SUCCESS(null),
    /** HTTP status not accepted by the matcher. */
    BAD_STATUS(ReasonCodes.RESPONSE_CODE_MISMATCH),
    /** No connection or no response head within the timeout. */
    TIMEOUT(ReasonCodes.TIMEOUT),
    /** The target refused the connection (nothing listens). */
    CONNECT_REFUSED(ReasonCodes.FAILED_HEALTH_CHECKS),
    /** The target reset the connection. */
    CONNECTION_RESET(ReasonCodes.FAILED_HEALTH_CHECKS),
    /** The target closed the connection before the response head. */
    CLOSED_EARLY(ReasonCodes.FAILED_HEALTH_CHECKS),
    /** A grpc.health.v1 check answered grpc-status OK with a status other than SERVING. */
    NOT_SERVING(ReasonCodes.FAILED_HEALTH_CHECKS),
    /** The target answered something that is not HTTP/1.x. */
    INVALID_RESPONSE(ReasonCodes.FAILED_HEALTH_CHECKS),
    /** Anything else: unknown host, no route, local errors. */
    ERROR(ReasonCodes.FAILED_HEALTH_CHECKS);

    private final String reason;

    ProbeOutcome(String reason) {
        this.reason = reason;
    }

    /** The ALB reason code a target gets when this outcome makes it unhealthy; null for success. */
    public String reason() {
        return reason;
    }
}
