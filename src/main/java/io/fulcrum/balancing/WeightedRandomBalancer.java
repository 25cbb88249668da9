package io.fulcrum.balancing;

import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Weighted random: each candidate is picked with probability proportional to its effective weight. */
final class WeightedRandomBalancer implements Balancer {
    private final long slowStartNanos;
    private final Supplier<? extends RandomGenerator> random;

    WeightedRandomBalancer(long slowStartNanos, Supplier<? extends RandomGenerator> random) {
        this.slowStartNanos = slowStartNanos;
        this.random = random;
    }

    @Override
    public <T extends Candidate> T pick(List<T> candidates, long nowNanos) {
        Weights.requireNonEmpty(candidates);
        int size = candidates.size();
        if (size == 1) {
            return candidates.get(0);
        }
        long total = 0;
        for (int i = 0; i < size; i++) {
            total += Weights.effective(candidates.get(i), nowNanos, slowStartNanos);
        }
        long position = random.get().nextLong(total);
        return candidates.get(Weights.indexAt(candidates, position, nowNanos, slowStartNanos));
    }
}
