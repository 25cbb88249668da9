package io.fulcrum.scaling;

/** The load balancer's counters as scaling policies read them, so scaling does not depend on the proxy. */
@FunctionalInterface
public interface MetricsSource {
    /**
     * Requests forwarded to a target group so far: a count that only grows while the group is
     * configured (0 when it is not); policies take differences between two readings.
     */
    long requestCount(String targetGroupName);

    /**
     * A target group's target responses and their response times so far (ALBTargetResponseTime):
     * counters that only grow while the group is configured; {@link ResponseTimeTotals#NONE} when it is
     * not, or when this source measures no response times.
     */
    default ResponseTimeTotals responseTime(String targetGroupName) {
        return ResponseTimeTotals.NONE;
    }
}
