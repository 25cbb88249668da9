package io.fulcrum.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.Algorithm;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightedRandomBalancerTest {
    private final SplittableRandom random = new SplittableRandom(42);
    private final Balancer balancer = Balancers.create(Algorithm.WEIGHTED_RANDOM, Duration.ZERO, () -> random);

    @Test
    void picksInProportionToWeight() {
        List<TestCandidate> candidates = List.of(new TestCandidate("a", 1), new TestCandidate("b", 2),
                new TestCandidate("c", 7));
        int n = 100_000;
        Map<String, Integer> counts = Picks.count(balancer, candidates, n, 0);
        for (TestCandidate candidate : candidates) {
            double p = candidate.weight / 10.0;
            assertThat((long) counts.get(candidate.name)).as(candidate.name)
                    .isBetween(Math.round(n * p) - Picks.binomialTolerance(n, p),
                            Math.round(n * p) + Picks.binomialTolerance(n, p));
        }
    }

    @Test
    void equalWeightsAreUniform() {
        List<TestCandidate> candidates = List.of(new TestCandidate("a", 5), new TestCandidate("b", 5),
                new TestCandidate("c", 5), new TestCandidate("d", 5));
        int n = 40_000;
        Map<String, Integer> counts = Picks.count(balancer, candidates, n, 0);
        long tolerance = Picks.binomialTolerance(n, 0.25);
        assertThat(counts.values()).allSatisfy(count -> assertThat((long) count).isBetween(
                10_000 - tolerance, 10_000 + tolerance));
    }

    @Test
    void theSameSeedGivesTheSamePicks() {
        List<TestCandidate> candidates = List.of(new TestCandidate("a", 1), new TestCandidate("b", 3));
        SplittableRandom first = new SplittableRandom(7);
        SplittableRandom second = new SplittableRandom(7);
        Balancer one = Balancers.create(Algorithm.WEIGHTED_RANDOM, Duration.ZERO, () -> first);
        Balancer two = Balancers.create(Algorithm.WEIGHTED_RANDOM, Duration.ZERO, () -> second);
        for (int i = 0; i < 1_000; i++) {
            assertThat(one.pick(candidates, 0)).isSameAs(two.pick(candidates, 0));
        }
    }
}
