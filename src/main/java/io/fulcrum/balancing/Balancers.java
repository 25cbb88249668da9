package io.fulcrum.balancing;

import io.fulcrum.model.Algorithm;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Creates the balancer for a target group's algorithm and slow-start setting. */
public final class Balancers {
    private Balancers() {
    }

    /**
     * A new balancer; keep one per target group for as long as its algorithm and slow start are unchanged
     * (round robin keeps its position in it).
     *
     * @param algorithm the group's algorithm
     * @param slowStart {@link Duration#ZERO} for none (the config allows 30..900 s), never negative
     * @param random the randomness source, asked once per pick that needs it: {@code ThreadLocalRandom::current}
     *               in the proxy, a seeded generator in tests
     */
    public static Balancer create(Algorithm algorithm, Duration slowStart,
                                  Supplier<? extends RandomGenerator> random) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(slowStart, "slowStart");
        Objects.requireNonNull(random, "random");
        if (slowStart.isNegative()) {
            throw new IllegalArgumentException("slowStart: " + slowStart + " (expected: zero or positive)");
        }
        long slowStartNanos = slowStart.compareTo(Duration.ofDays(365)) > 0
                ? Duration.ofDays(365).toNanos() : slowStart.toNanos();
        switch (algorithm) {
            case ROUND_ROBIN:
                return new RoundRobinBalancer(slowStartNanos);
            case LEAST_OUTSTANDING_REQUESTS:
                return new LeastOutstandingBalancer(slowStartNanos, random);
            case WEIGHTED_RANDOM:
                return new WeightedRandomBalancer(slowStartNanos, random);
            case FLOW_HASH:
                return new FlowHashBalancer(slowStartNanos);
            default:
                throw new IllegalArgumentException("algorithm: " + algorithm + " (expected: one of "
                        + java.util.Arrays.toString(Algorithm.values()) + ")");
        }
    }
}
