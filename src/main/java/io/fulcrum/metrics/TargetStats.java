package io.fulcrum.metrics;

import java.util.concurrent.atomic.LongAdder;

/** What one registered target counts while it stays registered: requests, responses by class, connect errors. */
public final class TargetStats {
    private final LongAdder requests = new LongAdder();
    private final StatusClassCounter responses = new StatusClassCounter();
    private final LongAdder connectionErrors = new LongAdder();

    /** A request was sent (or about to be) to this target; a retry elsewhere counts there too. */
    public void request() {
        requests.increment();
    }

    public void response(int status) {
        responses.record(status);
    }

    public void connectionError() {
        connectionErrors.increment();
    }

    public long requests() {
        return requests.sum();
    }

    public StatusClassCounter responses() {
        return responses;
    }

    public long connectionErrors() {
        return connectionErrors.sum();
    }

    LongAdder requestsAdder() {
        return requests;
    }

    LongAdder connectionErrorsAdder() {
        return connectionErrors;
    }
}
