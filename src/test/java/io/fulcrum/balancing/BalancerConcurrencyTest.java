package io.fulcrum.balancing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.Algorithm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Several threads share one balancer, as event loops do: every pick is valid and nothing throws. */
class BalancerConcurrencyTest {
    private static final int THREADS = 4;
    private static final int PICKS_PER_THREAD = 50_000;

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void sharedBalancerPicksValidCandidatesFromManyThreads(Algorithm algorithm) throws Exception {
        Balancer balancer = Balancers.create(algorithm, Duration.ofSeconds(30), ThreadLocalRandom::current);
        List<TestCandidate> all = List.of(new TestCandidate("a", 1), new TestCandidate("b", 5, 0),
                new TestCandidate("c", 999), new TestCandidate("d", 2, 10_000_000_000L));
        List<TestCandidate> some = all.subList(1, 3);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    int[] counts = new int[all.size()];
                    for (int i = 0; i < PICKS_PER_THREAD; i++) {
                        // The list changes between calls, as health changes do.
                        List<TestCandidate> candidates = i % 3 == 0 ? some : all;
                        TestCandidate picked = balancer.pick(candidates, i * 1_000_000L);
                        assertThat(candidates).contains(picked);
                        picked.outstanding.incrementAndGet();
                        counts[all.indexOf(picked)]++;
                        picked.outstanding.decrementAndGet();
                    }
                    return counts;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<int[]> result : results) {
                for (int count : result.get(60, TimeUnit.SECONDS)) {
                    total += count;
                }
            }
            assertThat(total).isEqualTo(THREADS * PICKS_PER_THREAD);
            assertThat(all).allSatisfy(candidate -> assertThat(candidate.outstanding.get()).isZero());
        } finally {
            pool.shutdownNow();
        }
    }
}
