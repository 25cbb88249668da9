package io.fulcrum.udp;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of UDP listeners: flows and how they ended, datagrams and bytes each way, and datagrams
 * dropped. One per listener, each adding to the server's total too. LongAdders: no contention.
 */
public final class UdpCounters {
    /** The totals over every listener, or null for the totals themselves. */
    private final UdpCounters total;
    private final LongAdder flows = new LongAdder();
    private final LongAdder active = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder noTarget = new LongAdder();
    private final LongAdder idleTimeouts = new LongAdder();
    private final LongAdder targetErrors = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder datagramsToTargets = new LongAdder();
    private final LongAdder datagramsToClients = new LongAdder();
    private final LongAdder bytesToTargets = new LongAdder();
    private final LongAdder bytesToClients = new LongAdder();

    /** The totals of a server's listeners. */
    public UdpCounters() {
        this(null);
    }

    /** One listener's counters, which add to {@code total} as well. */
    UdpCounters(UdpCounters total) {
        this.total = total;
    }

    void countFlowStarted() {
        flows.increment();
        active.increment();
        if (total != null) {
            total.countFlowStarted();
        }
    }

    void countFlowEnded() {
        active.decrement();
        if (total != null) {
            total.countFlowEnded();
        }
    }

    void countRefused() {
        refused.increment();
        if (total != null) {
            total.countRefused();
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

    void countTargetError() {
        targetErrors.increment();
        if (total != null) {
            total.countTargetError();
        }
    }

    void countDropped() {
        dropped.increment();
        if (total != null) {
            total.countDropped();
        }
    }

    void countToTarget(int bytes) {
        datagramsToTargets.increment();
        bytesToTargets.add(bytes);
        if (total != null) {
            total.countToTarget(bytes);
        }
    }

    void countToClient(int bytes) {
        datagramsToClients.increment();
        bytesToClients.add(bytes);
        if (total != null) {
            total.countToClient(bytes);
        }
    }

    /** Client flows started (NLB's NewFlowCount_UDP). */
    public long flows() {
        return flows.sum();
    }

    /** Client flows open now (ActiveFlowCount_UDP). */
    public long active() {
        return active.sum();
    }

    /** Datagrams of new flows dropped because the listener already had its maximum of flows. */
    public long refused() {
        return refused.sum();
    }

    /** Datagrams of new flows dropped because the target group had no target to take them. */
    public long noTarget() {
        return noTarget.sum();
    }

    /** Flows ended by the listener's idle timeout. */
    public long idleTimeouts() {
        return idleTimeouts.sum();
    }

    /** Errors on flows' target sockets (an ICMP port unreachable from a target shows here). */
    public long targetErrors() {
        return targetErrors.sum();
    }

    /** Datagrams dropped because a socket's send buffer was full, or a flow's socket was not ready yet. */
    public long dropped() {
        return dropped.sum();
    }

    /** Datagrams relayed from clients to targets. */
    public long datagramsToTargets() {
        return datagramsToTargets.sum();
    }

    /** Datagrams relayed from targets to clients. */
    public long datagramsToClients() {
        return datagramsToClients.sum();
    }

    /** Payload bytes relayed from clients to targets. */
    public long bytesToTargets() {
        return bytesToTargets.sum();
    }

    /** Payload bytes relayed from targets to clients. */
    public long bytesToClients() {
        return bytesToClients.sum();
    }
}
