package io.fulcrum.balancing;

/** Effective weights in thousandths of a weight unit, shared by the balancers. */
final class Weights {
    static final int MIN_WEIGHT = 1;
    static final int MAX_WEIGHT = 999;

    private Weights() {
    }

    /**
     * The candidate's configured weight (clamped to 1..999) times its slow-start factor, in thousandths:
     * 100..999000. Integers keep ties exact (least outstanding) and totals cheap to sample.
     */
    static long effective(Candidate candidate, long nowNanos, long slowStartNanos) {
        int weight = Math.min(MAX_WEIGHT, Math.max(MIN_WEIGHT, candidate.weight()));
        if (slowStartNanos <= 0) {
            return (long) weight * SlowStart.FULL_PERMILLE;
        }
        return (long) weight * SlowStart.permille(candidate.slowStartBeginNanos(), nowNanos, slowStartNanos);
    }

    /** The index whose cumulative weight range holds position (0 ≤ position < total of the same weights). */
    static <T extends Candidate> int indexAt(java.util.List<T> candidates, long position, long nowNanos,
                                             long slowStartNanos) {
        int last = candidates.size() - 1;
        long remaining = position;
        for (int i = 0; i < last; i++) {
            remaining -= effective(candidates.get(i), nowNanos, slowStartNanos);
            if (remaining < 0) {
                return i;
            }
        }
        // The last one also takes any overshoot if a weight changed between the two scans.
        return last;
    }

    static void requireNonEmpty(java.util.List<?> candidates) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("candidates: [] (expected: at least one candidate)");
        }
    }
}
