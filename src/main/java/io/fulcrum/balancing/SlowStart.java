package io.fulcrum.balancing;

/** The slow-start ramp: a newly healthy target's share grows linearly from a floor to its full weight. */
public final class SlowStart {
    /**
     * Share a target gets at the very start of its ramp: 10%. Not zero, so a new target is still
     * tried (and its first requests show whether it really works) while the ramp is young.
     */
    public static final double FLOOR = 0.1;
    /** {@link #FLOOR} in thousandths, the unit balancers use for integer weights. */
    static final int FLOOR_PERMILLE = 100;
    static final int FULL_PERMILLE = 1000;

    private SlowStart() {
    }

    /**
     * The weight factor, {@link #FLOOR}..1.0, of a target whose ramp began at beginNanos.
     * 1.0 when there is no ramp (beginNanos is {@link Long#MIN_VALUE} or durationNanos ≤ 0) or it is
     * over; {@link #FLOOR} when now is at or before the beginning.
     */
    public static double factor(long beginNanos, long nowNanos, long durationNanos) {
        if (beginNanos == Long.MIN_VALUE || durationNanos <= 0) {
            return 1.0;
        }
        // nanoTime values are compared by difference, never directly, so wrap-around is harmless.
        long elapsed = nowNanos - beginNanos;
        if (elapsed <= 0) {
            return FLOOR;
        }
        if (elapsed >= durationNanos) {
            return 1.0;
        }
        return FLOOR + (1.0 - FLOOR) * ((double) elapsed / durationNanos);
    }

    /** {@link #factor} in thousandths (100..1000), rounded down, for exact integer arithmetic. */
    static int permille(long beginNanos, long nowNanos, long durationNanos) {
        if (beginNanos == Long.MIN_VALUE || durationNanos <= 0) {
            return FULL_PERMILLE;
        }
        long elapsed = nowNanos - beginNanos;
        if (elapsed <= 0) {
            return FLOOR_PERMILLE;
        }
        if (elapsed >= durationNanos) {
            return FULL_PERMILLE;
        }
        // elapsed < durationNanos, and slow start is at most 900 s (9e11 ns): the product fits a long.
        // Beyond ~1e16 ns (116 days) fall back to double arithmetic rather than overflow.
        int ramp = FULL_PERMILLE - FLOOR_PERMILLE;
        long scaled = elapsed < Long.MAX_VALUE / ramp
                ? elapsed * ramp / durationNanos
                : (long) ((double) elapsed / durationNanos * ramp);
        return FLOOR_PERMILLE + (int) scaled;
    }
}
