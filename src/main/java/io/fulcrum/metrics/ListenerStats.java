package io.fulcrum.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one listener counts: requests, responses by class from targets and from the balancer itself,
 * fixed responses, redirects, client disconnects, connections and bytes. It lives as long as the
 * listener is open.
 */
public final class ListenerStats {
    private final LongAdder requests = new LongAdder();
    private final StatusClassCounter elbResponses = new StatusClassCounter();
    private final StatusClassCounter targetResponses = new StatusClassCounter();
    private final LongAdder fixedResponses = new LongAdder();
    private final LongAdder redirects = new LongAdder();
    private final LongAdder clientClosed = new LongAdder();
    private final LongAdder newConnections = new LongAdder();
    private final LongAdder receivedBytes = new LongAdder();
    private final LongAdder sentBytes = new LongAdder();

    public void request() {
        requests.increment();
    }

    /** A response the balancer generated (error page, fixed response or redirect). */
    public void elbResponse(int status) {
        elbResponses.record(status);
    }

    /** A response head a target sent. */
    public void targetResponse(int status) {
        targetResponses.record(status);
    }

    public void fixedResponse() {
        fixedResponses.increment();
    }

    public void redirect() {
        redirects.increment();
    }

    /** The client closed before its response was complete (ALB's 460). */
    public void clientClosed() {
        clientClosed.increment();
    }

    public void connectionOpened() {
        newConnections.increment();
    }

    public void received(long bytes) {
        receivedBytes.add(bytes);
    }

    public void sent(long bytes) {
        sentBytes.add(bytes);
    }

    public long requests() {
        return requests.sum();
    }

    public StatusClassCounter elbResponses() {
        return elbResponses;
    }

    public StatusClassCounter targetResponses() {
        return targetResponses;
    }

    public long fixedResponses() {
        return fixedResponses.sum();
    }

    public long redirects() {
        return redirects.sum();
    }

    public long clientClosedCount() {
        return clientClosed.sum();
    }

    public long newConnections() {
        return newConnections.sum();
    }

    public long receivedBytes() {
        return receivedBytes.sum();
    }

    public long sentBytes() {
        return sentBytes.sum();
    }

    LongAdder requestsAdder() {
        return requests;
    }

    LongAdder fixedResponsesAdder() {
        return fixedResponses;
    }

    LongAdder redirectsAdder() {
        return redirects;
    }

    LongAdder clientClosedAdder() {
        return clientClosed;
    }

    LongAdder newConnectionsAdder() {
        return newConnections;
    }

    LongAdder receivedBytesAdder() {
        return receivedBytes;
    }

    LongAdder sentBytesAdder() {
        return sentBytes;
    }
}
