package io.fulcrum.balancing;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Weighted round robin over one shared counter, with no per-list state, so a list that changes between
 * calls (health changes) needs no rebuild.
 *
 * <p>Equal effective weights: plain rotation, {@code counter mod size}. Unequal weights (configured, or
 * a slow-start ramp in progress): the counter is spread over {@code [0, 1)} by the golden-ratio Weyl
 * sequence {@code frac(n * φ)} and that point is located in the cumulative weights. Each target's share
 * converges to its weight with a deviation that stays within a few picks (the sequence has low
 * discrepancy), and consecutive picks interleave (weights 100:200 give A B B A B …, not 100 A then 200 B).
 */
final class RoundRobinBalancer extends AbstractBalancer {
    /** 2^64 / φ, odd: multiplying the counter by it walks all 2^64 points in golden-ratio steps. */
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final AtomicLong counter = new AtomicLong();

    RoundRobinBalancer(long slowStartNanos) {
        super(slowStartNanos);
    }

    @Override
    <T extends Candidate> T pickAmongSeveral(List<T> candidates, long nowNanos) {
        int size = candidates.size();
        long n = counter.getAndIncrement();
        long first = Weights.effective(candidates.get(0), nowNanos, slowStartNanos);
        long total = first;
        boolean equal = true;
        for (int i = 1; i < size; i++) {
            long weight = Weights.effective(candidates.get(i), nowNanos, slowStartNanos);
            total += weight;
            equal &= weight == first;
        }
        if (equal) {
            return candidates.get(Math.floorMod(n, size));
        }
        long position = unsignedMultiplyHigh(n * GOLDEN_GAMMA, total);
        return candidates.get(Weights.indexAt(candidates, position, nowNanos, slowStartNanos));
    }

    /** (fraction / 2^64) * total for an unsigned 64-bit fraction and total > 0: a point in [0, total). */
    static long unsignedMultiplyHigh(long fraction, long total) {
        // Math.unsignedMultiplyHigh is Java 18; this is its definition for a non-negative second factor.
        return Math.multiplyHigh(fraction, total) + ((fraction >> 63) & total);
    }
}
