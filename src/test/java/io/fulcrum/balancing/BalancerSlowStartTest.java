package io.fulcrum.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.Algorithm;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Slow start lowers a new target's effective weight in every algorithm. */
class BalancerSlowStartTest {
    private static final Duration SLOW_START = Duration.ofSeconds(100);
    private static final long BEGIN = 1_000_000_000_000L;
    private static final long HALF_WAY = BEGIN + SLOW_START.toNanos() / 2;
    private static final long DONE = BEGIN + SLOW_START.toNanos();

    private final TestCandidate old = new TestCandidate("old", 1);
    private final TestCandidate fresh = new TestCandidate("fresh", 1, BEGIN);
    private final List<TestCandidate> candidates = List.of(old, fresh);

    @Test
    void roundRobinRampsTheNewTargetsShare() {
        int n = 11_000;
        // At the start fresh weighs 0.1 against 1: 1/11 of the picks.
        assertThat(fresh(Algorithm.ROUND_ROBIN, n, BEGIN)).isBetween(996, 1_004);
        // Half way it weighs 0.55: 0.55/1.55 of the picks.
        assertThat(fresh(Algorithm.ROUND_ROBIN, 15_500, HALF_WAY)).isBetween(5_496, 5_504);
        // At the end: an even split.
        assertThat(fresh(Algorithm.ROUND_ROBIN, n, DONE)).isEqualTo(5_500);
    }

    @Test
    void weightedRandomRampsTheNewTargetsShare() {
        int n = 110_000;
        long tolerance = Picks.binomialTolerance(n, 1.0 / 11);
        assertThat((long) fresh(Algorithm.WEIGHTED_RANDOM, n, BEGIN)).isBetween(10_000 - tolerance,
                10_000 + tolerance);
        long half = Math.round(n * 0.55 / 1.55);
        long halfTolerance = Picks.binomialTolerance(n, 0.55 / 1.55);
        assertThat((long) fresh(Algorithm.WEIGHTED_RANDOM, n, HALF_WAY)).isBetween(half - halfTolerance,
                half + halfTolerance);
        long evenTolerance = Picks.binomialTolerance(n, 0.5);
        assertThat((long) fresh(Algorithm.WEIGHTED_RANDOM, n, DONE)).isBetween(55_000 - evenTolerance,
                55_000 + evenTolerance);
    }

    @Test
    void leastOutstandingSeesAWarmingTargetAsBusier() {
        old.outstanding(5);
        Balancer balancer = Balancers.create(Algorithm.LEAST_OUTSTANDING_REQUESTS, SLOW_START,
                () -> new SplittableRandom(1));
        // Start: fresh's load (0 + 1) / 0.1 = 10 exceeds old's (5 + 1) / 1 = 6.
        assertThat(balancer.pick(candidates, BEGIN)).isSameAs(old);
        // Half way: (0 + 1) / 0.55 ≈ 1.8 is below 6.
        assertThat(balancer.pick(candidates, HALF_WAY)).isSameAs(fresh);
        assertThat(balancer.pick(candidates, DONE)).isSameAs(fresh);
    }

    @Test
    void offMeansFullWeightFromTheStart() {
        Balancer balancer = Balancers.create(Algorithm.ROUND_ROBIN, Duration.ZERO, SplittableRandom::new);
        assertThat(Picks.count(balancer, candidates, 1_000, BEGIN)).containsEntry("fresh", 500);
    }

    private int fresh(Algorithm algorithm, int n, long nowNanos) {
        SplittableRandom random = new SplittableRandom(11);
        Balancer balancer = Balancers.create(algorithm, SLOW_START, () -> random);
        Map<String, Integer> counts = Picks.count(balancer, candidates, n, nowNanos);
        return counts.get("fresh");
    }
}
