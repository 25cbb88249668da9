package io.fulcrum.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.Algorithm;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** flow_hash: one flow, one target; many flows spread by weight. */
class FlowHashBalancerTest {
    private final Balancer balancer = Balancers.create(Algorithm.FLOW_HASH, Duration.ZERO, ThreadLocalRandom::current);
    private final List<TestCandidate> targets = List.of(new TestCandidate("a", 1), new TestCandidate("b", 1),
            new TestCandidate("c", 2));

    @Test
    void theSameFlowAlwaysLandsOnTheSameTarget() {
        Random random = new Random(7);
        for (int i = 0; i < 1_000; i++) {
            long flow = random.nextLong();
            TestCandidate first = balancer.pick(targets, 0, flow);
            assertThat(balancer.pick(targets, 0, flow)).isSameAs(first);
        }
    }

    @Test
    void neighbouringFlowsSpreadInProportionToTheWeights() {
        Map<String, Integer> counts = new HashMap<>();
        for (long port = 32_768; port < 32_768 + 40_000; port++) { // one client, successive source ports
            counts.merge(balancer.pick(targets, 0, port).name, 1, Integer::sum);
        }
        assertThat(counts.get("a")).isBetween(9_000, 11_000);
        assertThat(counts.get("b")).isBetween(9_000, 11_000);
        assertThat(counts.get("c")).isBetween(19_000, 21_000);
    }

    @Test
    void withoutAFlowItRotates() {
        List<TestCandidate> two = List.of(new TestCandidate("a", 1), new TestCandidate("b", 1));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            counts.merge(balancer.pick(two, 0).name, 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("a", "b");
    }

    @Test
    void otherAlgorithmsIgnoreTheFlow() {
        Balancer roundRobin = Balancers.create(Algorithm.ROUND_ROBIN, Duration.ZERO, ThreadLocalRandom::current);
        List<TestCandidate> two = List.of(new TestCandidate("a", 1), new TestCandidate("b", 1));
        assertThat(List.of(roundRobin.pick(two, 0, 42).name, roundRobin.pick(two, 0, 42).name))
                .containsExactly("a", "b");
    }
}
