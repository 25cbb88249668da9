package io.fulcrum.balancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fulcrum.model.Algorithm;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BalancersTest {
    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void everyAlgorithmHasABalancer(Algorithm algorithm) {
        Balancer balancer = Balancers.create(algorithm, Duration.ZERO, () -> new SplittableRandom(5));
        TestCandidate a = new TestCandidate("a", 1);
        TestCandidate b = new TestCandidate("b", 2);
        assertThat(balancer.pick(List.of(a, b), 0)).isIn(a, b);
        assertThat(balancer.pick(List.of(b), 0)).isSameAs(b);
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void anEmptyListIsAnError(Algorithm algorithm) {
        Balancer balancer = Balancers.create(algorithm, Duration.ZERO, () -> new SplittableRandom(5));
        assertThatThrownBy(() -> balancer.pick(List.<TestCandidate>of(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("candidates: [] (expected: at least one candidate)");
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void weightsOutsideTheRangeAreClamped(Algorithm algorithm) {
        Balancer balancer = Balancers.create(algorithm, Duration.ZERO, () -> new SplittableRandom(5));
        List<TestCandidate> odd = List.of(new TestCandidate("zero", 0), new TestCandidate("huge", Integer.MAX_VALUE));
        for (int i = 0; i < 100; i++) {
            assertThat(balancer.pick(odd, 0)).isIn(odd.get(0), odd.get(1));
        }
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aNegativeSlowStartIsRejected(Algorithm algorithm) {
        assertThatThrownBy(() -> Balancers.create(algorithm, Duration.ofSeconds(-1), SplittableRandom::new))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slowStart: PT-1S (expected: zero or positive)");
        assertThatThrownBy(() -> Balancers.create(null, Duration.ZERO, SplittableRandom::new))
                .isInstanceOf(NullPointerException.class).hasMessage("algorithm");
    }
}
