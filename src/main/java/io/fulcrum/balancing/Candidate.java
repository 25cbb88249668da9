package io.fulcrum.balancing;

/** Something a balancer can pick. Implemented by the proxy's live target object. */
public interface Candidate {
    /** Configured weight, 1..999; balancers clamp anything outside that range into it. */
    int weight();

    /** Requests in flight now (read by {@code least_outstanding_requests}). */
    int outstandingRequests();

    /**
     * {@link System#nanoTime()}-style instant when the candidate became healthy, or {@link Long#MIN_VALUE}
     * if no slow-start ramp applies.
     */
    long slowStartBeginNanos();
}
