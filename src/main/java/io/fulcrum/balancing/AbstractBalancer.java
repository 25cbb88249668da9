package io.fulcrum.balancing;

import java.util.List;

/** The part every algorithm shares: an empty list is an error, a single candidate is the answer. */
abstract class AbstractBalancer implements Balancer {
    /** The slow-start ramp length in nanoseconds, 0 when off. */
    final long slowStartNanos;

    AbstractBalancer(long slowStartNanos) {
        this.slowStartNanos = slowStartNanos;
    }

    @Override
    public final <T extends Candidate> T pick(List<T> candidates, long nowNanos) {
        Weights.requireNonEmpty(candidates);
        return candidates.size() == 1 ? candidates.get(0) : pickAmongSeveral(candidates, nowNanos);
    }

    /** Picks one of at least two candidates. */
    abstract <T extends Candidate> T pickAmongSeveral(List<T> candidates, long nowNanos);
}
