package io.fulcrum.bench;

import io.fulcrum.balancing.Balancer;
import io.fulcrum.balancing.Balancers;
import io.fulcrum.balancing.Candidate;
import io.fulcrum.balancing.StickyCookie;
import io.fulcrum.balancing.WeightedPicker;
import io.fulcrum.model.Algorithm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one pick per algorithm, as the proxy calls it (ThreadLocalRandom, a time passed in).
 * Run with {@code -prof gc}: every pick benchmark should show ~0 B/op. Add {@code -t 4} to see the
 * shared round-robin counter under contention.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BalancerBenchmark {

    @Benchmark
    public Candidate pick(PickState state) {
        return state.balancer.pick(state.candidates, state.nowNanos);
    }

    /** A forward action's weighted target groups. */
    @Benchmark
    public int weightedPicker(CookieAndGroups state) {
        return WeightedPicker.pick(state.groupWeights, ThreadLocalRandom.current());
    }

    /** Validating a client's stickiness cookie (allocates the decoded bytes and the key string). */
    @Benchmark
    public String stickyCookieDecode(CookieAndGroups state) {
        return state.cookie.decode(state.cookieValue, state.nowEpochSecond);
    }

    /** One balancer over a fixed candidate list, per algorithm and weight shape. */
    @State(Scope.Benchmark)
    public static class PickState {
        @Param({"ROUND_ROBIN", "LEAST_OUTSTANDING_REQUESTS", "WEIGHTED_RANDOM"})
        public Algorithm algorithm;

        @Param({"10"})
        public int targets;

        /** equal: all weight 1; mixed: weights 1..5; ramping: mixed, half of them in a slow-start ramp. */
        @Param({"equal", "mixed", "ramping"})
        public String weights;

        Balancer balancer;
        List<BenchCandidate> candidates;
        long nowNanos;

        @Setup(Level.Trial)
        public void setUp() {
            nowNanos = 1_000_000_000_000L;
            boolean ramping = weights.equals("ramping");
            Duration slowStart = ramping ? Duration.ofSeconds(60) : Duration.ZERO;
            balancer = Balancers.create(algorithm, slowStart, ThreadLocalRandom::current);
            candidates = new ArrayList<>(targets);
            for (int i = 0; i < targets; i++) {
                int weight = weights.equals("equal") ? 1 : 1 + i % 5;
                long begin = ramping && i % 2 == 0
                        ? nowNanos - Duration.ofSeconds(i * 5L).toNanos() : Long.MIN_VALUE;
                candidates.add(new BenchCandidate(weight, i % 4, begin));
            }
        }
    }

    /** A sticky cookie codec with one valid value, and a forward action's group weights. */
    @State(Scope.Benchmark)
    public static class CookieAndGroups {
        final int[] groupWeights = {10, 0, 30, 60};
        StickyCookie cookie;
        String cookieValue;
        long nowEpochSecond;

        @Setup(Level.Trial)
        public void setUp() {
            cookie = new StickyCookie(StickyCookie.newSecret());
            nowEpochSecond = 1_800_000_000L;
            cookieValue = cookie.encode("10.0.0.12:8080", nowEpochSecond + 86_400);
        }
    }

    /** A fixed candidate: weight, outstanding count and slow-start instant never change. */
    static final class BenchCandidate implements Candidate {
        private final int weight;
        private final int outstanding;
        private final long slowStartBeginNanos;

        BenchCandidate(int weight, int outstanding, long slowStartBeginNanos) {
            this.weight = weight;
            this.outstanding = outstanding;
            this.slowStartBeginNanos = slowStartBeginNanos;
        }

        @Override
        public int weight() {
            return weight;
        }

        @Override
        public int outstandingRequests() {
            return outstanding;
        }

        @Override
        public long slowStartBeginNanos() {
            return slowStartBeginNanos;
        }
    }
}
