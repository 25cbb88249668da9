package io.fulcrum.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.Algorithm;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LeastOutstandingBalancerTest {
    private final SplittableRandom random = new SplittableRandom(3);
    private final Balancer balancer =
            Balancers.create(Algorithm.LEAST_OUTSTANDING_REQUESTS, Duration.ZERO, () -> random);

    @Test
    void prefersTheIdleTarget() {
        TestCandidate busy = new TestCandidate("busy", 1).outstanding(5);
        TestCandidate idle = new TestCandidate("idle", 1);
        TestCandidate medium = new TestCandidate("medium", 1).outstanding(3);
        List<TestCandidate> candidates = List.of(busy, idle, medium);
        for (int i = 0; i < 100; i++) {
            assertThat(balancer.pick(candidates, 0)).isSameAs(idle);
        }
    }

    @Test
    void followsTheLoadAsItChanges() {
        TestCandidate a = new TestCandidate("a", 1);
        TestCandidate b = new TestCandidate("b", 1);
        TestCandidate c = new TestCandidate("c", 1);
        List<TestCandidate> candidates = List.of(a, b, c);
        // Simulate requests that never finish: each pick goes to a least loaded one, so loads stay level.
        for (int i = 0; i < 300; i++) {
            balancer.pick(candidates, 0).outstanding.incrementAndGet();
            int max = Math.max(a.outstanding.get(), Math.max(b.outstanding.get(), c.outstanding.get()));
            int min = Math.min(a.outstanding.get(), Math.min(b.outstanding.get(), c.outstanding.get()));
            assertThat(max - min).isLessThanOrEqualTo(1);
        }
        assertThat(a.outstanding.get()).isEqualTo(100);
    }

    @Test
    void weightDividesTheLoad() {
        TestCandidate heavy = new TestCandidate("heavy", 2).outstanding(1);
        TestCandidate light = new TestCandidate("light", 1).outstanding(1);
        // (1 + 1) / 2 < (1 + 1) / 1
        assertThat(balancer.pick(List.of(light, heavy), 0)).isSameAs(heavy);

        TestCandidate heavier = new TestCandidate("heavier", 3).outstanding(5);
        TestCandidate idleLight = new TestCandidate("idleLight", 1);
        // (5 + 1) / 3 = 2 > (0 + 1) / 1
        assertThat(balancer.pick(List.of(heavier, idleLight), 0)).isSameAs(idleLight);
    }

    @Test
    void weightsShareTrafficAmongIdleTargets() {
        TestCandidate heavy = new TestCandidate("heavy", 3);
        TestCandidate light = new TestCandidate("light", 1);
        List<TestCandidate> candidates = List.of(light, heavy);
        // Requests never finish: in the long run outstanding follows weight, 3:1.
        for (int i = 0; i < 400; i++) {
            balancer.pick(candidates, 0).outstanding.incrementAndGet();
        }
        assertThat(heavy.outstanding.get()).isBetween(299, 301);
    }

    @Test
    void tiesAreBrokenEvenly() {
        List<TestCandidate> candidates = List.of(new TestCandidate("a", 1).outstanding(2),
                new TestCandidate("b", 1).outstanding(2), new TestCandidate("c", 1).outstanding(9),
                new TestCandidate("d", 1).outstanding(2));
        int n = 30_000;
        Map<String, Integer> counts = Picks.count(balancer, candidates, n, 0);
        long tolerance = Picks.binomialTolerance(n, 1.0 / 3);
        assertThat(counts.get("c")).isZero();
        for (String name : List.of("a", "b", "d")) {
            assertThat((long) counts.get(name)).as(name).isBetween(10_000 - tolerance, 10_000 + tolerance);
        }
    }

    @Test
    void aNegativeCountIsTreatedAsIdle() {
        TestCandidate glitch = new TestCandidate("glitch", 1).outstanding(-3);
        TestCandidate busy = new TestCandidate("busy", 1).outstanding(1);
        assertThat(balancer.pick(List.of(busy, glitch), 0)).isSameAs(glitch);
    }
}
