package io.fulcrum.proxy;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Data-plane counters: requests, the balancer's own error responses by code, client disconnects
 * before the response (ALB's 460) and WebSocket connections. LongAdders, so event loops never contend.
 */
public final class ProxyCounters {
    private final LongAdder requests = new LongAdder();
    private final LongAdder clientClosed = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder tunnelsOpened = new LongAdder();
    private final LongAdder tunnelsClosed = new LongAdder();
    private final Map<ErrorCode, LongAdder> errors = new EnumMap<>(ErrorCode.class);

    public ProxyCounters() {
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, new LongAdder());
        }
    }

    void request() {
        requests.increment();
    }

    void error(ErrorCode code) {
        errors.get(code).increment();
    }

    void clientClosedEarly() {
        clientClosed.increment();
    }

    void retry() {
        retries.increment();
    }

    void tunnelOpened() {
        tunnelsOpened.increment();
    }

    void tunnelClosed() {
        tunnelsClosed.increment();
    }

    /** WebSocket connections relayed since start (each began as one forwarded request). */
    public long webSocketsOpened() {
        return tunnelsOpened.sum();
    }

    /** WebSocket connections being relayed now. */
    public long webSocketsOpen() {
        return tunnelsOpened.sum() - tunnelsClosed.sum();
    }

    public long requests() {
        return requests.sum();
    }

    /** Responses the balancer answered itself with this code. */
    public long errors(ErrorCode code) {
        return errors.get(code).sum();
    }

    /** Requests whose client went away before the response was complete (ALB logs these as 460). */
    public long clientClosedEarly460() {
        return clientClosed.sum();
    }

    public long retries() {
        return retries.sum();
    }
}
