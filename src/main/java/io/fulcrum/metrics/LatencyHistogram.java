package io.fulcrum.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A fixed-bucket latency histogram: recording finds the bucket by a short scan and bumps a LongAdder,
 * so it takes no lock and allocates nothing (Micrometer's timers rotate their windows under a lock).
 * Exposed as a Prometheus classic histogram in seconds.
 */
public final class LatencyHistogram {
    /** Upper bounds in seconds, from 1 ms (a loopback target) to 60 s (ALB's default idle timeout). */
    static final double[] BOUNDS_SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
            30, 60};
    private static final long[] BOUNDS_NANOS = new long[BOUNDS_SECONDS.length];

    static {
        for (int i = 0; i < BOUNDS_SECONDS.length; i++) {
            BOUNDS_NANOS[i] = Math.round(BOUNDS_SECONDS[i] * 1e9);
        }
    }

    /** Per-bucket counts (not cumulative); the last is +Inf. */
    private final LongAdder[] buckets = new LongAdder[BOUNDS_NANOS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    public LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** Records one duration; a negative one counts as zero. */
    public void record(long nanos) {
        long value = Math.max(0, nanos);
        int i = 0;
        while (i < BOUNDS_NANOS.length && value > BOUNDS_NANOS[i]) {
            i++;
        }
        buckets[i].increment();
        sumNanos.add(value);
    }

    /** Recorded durations. */
    public long count() {
        long total = 0;
        for (LongAdder bucket : buckets) {
            total += bucket.sum();
        }
        return total;
    }

    /** Counts per bucket, not cumulative, +Inf last (the exposition makes Prometheus' {@code le} sums). */
    long[] bucketCounts() {
        long[] counts = new long[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
            counts[i] = buckets[i].sum();
        }
        return counts;
    }

    /**
     * The recorded durations added up: with {@link #count()} an average over any window between two
     * readings (the scaling policies' ALBTargetResponseTime). The two are read apart, so a reading may
     * hold a record's count without its sum for a moment; the next reading has both.
     */
    public long sumNanos() {
        return sumNanos.sum();
    }

    double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
