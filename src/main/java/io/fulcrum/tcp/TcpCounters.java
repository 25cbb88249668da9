package io.fulcrum.tcp;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of TCP and TLS listeners: connections and how they ended, and bytes each way. One per
 * listener, each adding to the server's total too. LongAdders: no contention.
 */
public final class TcpCounters {
    /** The totals over every listener, or null for the totals themselves. */
    private final TcpCounters total;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder active = new LongAdder();
    private final LongAdder connectFailures = new LongAdder();
    private final LongAdder noTarget = new LongAdder();
    private final LongAdder idleTimeouts = new LongAdder();
    private final LongAdder targetTlsFailures = new LongAdder();
    private final LongAdder bytesToTargets = new LongAdder();
    private final LongAdder bytesToClients = new LongAdder();

    /** The totals of a server's listeners. */
    public TcpCounters() {
        this(null);
    }

    /** One listener's counters, which add to {@code total} as well. */
    TcpCounters(TcpCounters total) {
        this.total = total;
    }

    void countAccepted() {
        accepted.increment();
        active.increment();
        if (total != null) {
            total.countAccepted();
        }
    }

    void countEnded(long toTarget, long toClient) {
        active.decrement();
        bytesToTargets.add(toTarget);
        bytesToClients.add(toClient);
        if (total != null) {
            total.countEnded(toTarget, toClient);
        }
    }

    void countConnectFailure() {
        connectFailures.increment();
        if (total != null) {
            total.countConnectFailure();
        }
    }

    void countNoTarget() {
        noTarget.increment();
        if (total != null) {
            total.countNoTarget();
        }
    }

    void countIdleTimeout() {
        idleTimeouts.increment();
        if (total != null) {
            total.countIdleTimeout();
        }
    }

    void countTargetTlsFailure() {
        targetTlsFailures.increment();
        if (total != null) {
            total.countTargetTlsFailure();
        }
    }

    /** Client connections accepted. */
    public long accepted() {
        return accepted.sum();
    }

    /** Client connections open now. */
    public long active() {
        return active.sum();
    }

    /** Connection attempts to targets that failed (refused, timed out); each may be retried once. */
    public long connectFailures() {
        return connectFailures.sum();
    }

    /** Client connections closed because no target could take them (none registered, or both attempts failed). */
    public long noTarget() {
        return noTarget.sum();
    }

    /** Connections closed by the listener's idle timeout. */
    public long idleTimeouts() {
        return idleTimeouts.sum();
    }

    /**
     * TLS handshakes with the targets of TLS groups that failed (an untrusted or misnamed certificate with
     * verification on, no common protocol, a timeout); each closed its client's connection. NLB's
     * TargetTLSNegotiationErrorCount.
     */
    public long targetTlsFailures() {
        return targetTlsFailures.sum();
    }

    /** Bytes relayed from clients to targets (not counting Proxy Protocol headers). */
    public long bytesToTargets() {
        return bytesToTargets.sum();
    }

    /** Bytes relayed from targets to clients. */
    public long bytesToClients() {
        return bytesToClients.sum();
    }
}
