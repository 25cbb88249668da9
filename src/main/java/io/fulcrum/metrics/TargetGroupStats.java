package io.fulcrum.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one target group counts across reloads: requests forwarded, target responses by class, target
 * response time, connection errors and retries.
 */
public final class TargetGroupStats {
    private final LongAdder requests;
    private final StatusClassCounter targetResponses = new StatusClassCounter();
    private final LatencyHistogram responseTime = new LatencyHistogram();
    private final LongAdder connectionErrors = new LongAdder();
    private final LongAdder retries = new LongAdder();

    public TargetGroupStats() {
        this(new LongAdder());
    }

    /** @param requests the group's request counter, when someone else (the scaling policies) reads it too */
    public TargetGroupStats(LongAdder requests) {
        this.requests = requests;
    }

    /** The request counter: the proxy bumps it once per request routed to the group. */
    public LongAdder requestsAdder() {
        return requests;
    }

    /** A target's response head arrived {@code nanos} after the request head went out. */
    public void response(int status, long nanos) {
        targetResponses.record(status);
        responseTime.record(nanos);
    }

    public void connectionError() {
        connectionErrors.increment();
    }

    public void retry() {
        retries.increment();
    }

    public long requests() {
        return requests.sum();
    }

    public StatusClassCounter targetResponses() {
        return targetResponses;
    }

    public LatencyHistogram responseTime() {
        return responseTime;
    }

    public long connectionErrors() {
        return connectionErrors.sum();
    }

    public long retries() {
        return retries.sum();
    }

    LongAdder connectionErrorsAdder() {
        return connectionErrors;
    }

    LongAdder retriesAdder() {
        return retries;
    }
}
