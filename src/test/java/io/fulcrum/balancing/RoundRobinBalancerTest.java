package io.fulcrum.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.Algorithm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RoundRobinBalancerTest {
    private final Balancer balancer =
            Balancers.create(Algorithm.ROUND_ROBIN, Duration.ZERO, () -> new SplittableRandom(1));

    @Test
    void equalWeightsRotateInOrder() {
        List<TestCandidate> candidates = List.of(new TestCandidate("a", 1), new TestCandidate("b", 1),
                new TestCandidate("c", 1));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            names.add(balancer.pick(candidates, 0).name);
        }
        assertThat(names).containsExactly("a", "b", "c", "a", "b", "c", "a");
    }

    @Test
    void unequalWeightsGetTheirShareWithinAFewPicks() {
        List<TestCandidate> candidates = List.of(new TestCandidate("a", 1), new TestCandidate("b", 2),
                new TestCandidate("c", 3), new TestCandidate("d", 10));
        int totalWeight = 16;
        for (int n : new int[] {160, 1_600, 16_000, 160_000}) {
            Balancer fresh = Balancers.create(Algorithm.ROUND_ROBIN, Duration.ZERO, SplittableRandom::new);
            Map<String, Integer> counts = Picks.count(fresh, candidates, n, 0);
            // Deterministic, no randomness: the golden-ratio sequence keeps every share within a few picks
            // of exact (for these weights at most 3.5 off over the first two million picks).
            long tolerance = 4;
            for (TestCandidate candidate : candidates) {
                long expected = (long) n * candidate.weight / totalWeight;
                assertThat((long) counts.get(candidate.name)).as("%s after %d picks", candidate, n)
                        .isBetween(expected - tolerance, expected + tolerance);
            }
        }
    }

    @Test
    void unequalWeightsInterleaveInsteadOfBursting() {
        List<TestCandidate> candidates = List.of(new TestCandidate("a", 100), new TestCandidate("b", 200));
        int longestRun = 0;
        int run = 0;
        String previous = null;
        for (int i = 0; i < 3_000; i++) {
            String name = balancer.pick(candidates, 0).name;
            run = name.equals(previous) ? run + 1 : 1;
            previous = name;
            longestRun = Math.max(longestRun, run);
        }
        // Weight 2:1: b comes two or three times in a row, at most four; a plain scan of the cumulative
        // weights by counter would give runs of 100 a then 200 b.
        assertThat(longestRun).isLessThanOrEqualTo(4);
    }

    @Test
    void staysCorrectWhenTheListChangesBetweenCalls() {
        TestCandidate a = new TestCandidate("a", 1);
        TestCandidate b = new TestCandidate("b", 3);
        TestCandidate c = new TestCandidate("c", 1);
        List<TestCandidate> all = List.of(a, b, c);
        List<TestCandidate> withoutB = List.of(a, c);
        Picks.count(balancer, all, 1_001, 0);

        Map<String, Integer> afterRemoval = Picks.count(balancer, withoutB, 1_000, 0);
        assertThat(afterRemoval).containsEntry("a", 500).containsEntry("c", 500);

        Map<String, Integer> afterReturn = Picks.count(balancer, all, 5_000, 0);
        assertThat(afterReturn.get("b")).isBetween(2_997, 3_003);
        assertThat(afterReturn.get("a")).isBetween(997, 1_003);
    }

    @Test
    void aSingleCandidateIsAlwaysPicked() {
        TestCandidate only = new TestCandidate("only", 7);
        for (int i = 0; i < 10; i++) {
            assertThat(balancer.pick(List.of(only), i)).isSameAs(only);
        }
    }

    @Test
    void pointsAreSpreadOverTheWholeTotal() {
        // The unsigned high multiply maps the full 64-bit range onto [0, total).
        assertThat(RoundRobinBalancer.unsignedMultiplyHigh(0, 16)).isZero();
        assertThat(RoundRobinBalancer.unsignedMultiplyHigh(-1L, 16)).isEqualTo(15);
        assertThat(RoundRobinBalancer.unsignedMultiplyHigh(Long.MIN_VALUE, 16)).isEqualTo(8);
        assertThat(RoundRobinBalancer.unsignedMultiplyHigh(Long.MAX_VALUE, 16)).isEqualTo(7);
    }
}
