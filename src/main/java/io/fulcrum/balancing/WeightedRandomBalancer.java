package io.fulcrum.balancing;

import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Weighted random: each candidate is picked with probability proportional to its effective weight. */
final class WeightedRandomBalancer extends AbstractBalancer {
    private final Supplier<? extends RandomGenerator> random;

    WeightedRandomBalancer(long slowStartNanos, Supplier<? extends RandomGenerator> random) {
        super(slowStartNanos);
        this.random = random;
    }

    @Override
    <T extends Candidate> T pickAmongSeveral(List<T> candidates, long nowNanos) {
        int size = candidates.size();
        long total = 0;
        for (int i = 0; i < size; i++) {
            total += Weights.effective(candidates.get(i), nowNanos, slowStartNanos);
        }
        long position = random.get().nextLong(total);
        return candidates.get(Weights.indexAt(candidates, position, nowNanos, slowStartNanos));
    }
}
