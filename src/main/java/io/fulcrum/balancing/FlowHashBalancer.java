package io.fulcrum.balancing;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * NLB's flow hash: the connection's 5-tuple, hashed by the caller, picks a point in the candidates'
 * cumulative weights, so the same flow lands on the same target while the list is the same. A pick
 * without a flow (there is none outside TCP listeners) rotates instead.
 */
final class FlowHashBalancer implements Balancer {
    private final long slowStartNanos;
    private final AtomicLong counter = new AtomicLong();

    FlowHashBalancer(long slowStartNanos) {
        this.slowStartNanos = slowStartNanos;
    }

    @Override
    public <T extends Candidate> T pick(List<T> candidates, long nowNanos) {
        return pick(candidates, nowNanos, counter.getAndIncrement());
    }

    @Override
    public <T extends Candidate> T pick(List<T> candidates, long nowNanos, long flowHash) {
        Weights.requireNonEmpty(candidates);
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        long total = 0;
        for (int i = 0; i < candidates.size(); i++) {
            total += Weights.effective(candidates.get(i), nowNanos, slowStartNanos);
        }
        // mixed first: callers' hashes of nearby ports or addresses differ in few bits
        long position = RoundRobinBalancer.unsignedMultiplyHigh(mix(flowHash), total);
        return candidates.get(Weights.indexAt(candidates, position, nowNanos, slowStartNanos));
    }

    /** A 64-bit finaliser (SplitMix64's): every input bit changes about half of the output bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
