package io.fulcrum.balancing;

import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Least outstanding requests: a full scan for the lowest {@code (outstanding + 1) / effectiveWeight},
 * that is the load a target would carry with this request added, per unit of weight. The "+ 1" makes
 * weight count among idle targets too, and slow start lowers the effective weight, so a warming target
 * looks busier than it is. Ties are broken uniformly at random (reservoir sampling over the tied ones),
 * so no target is favoured by its list position.
 *
 * <p>A full scan rather than power-of-two choices: it is exact, and O(n) over a few hundred targets
 * at most is cheap next to a proxied request.
 */
final class LeastOutstandingBalancer extends AbstractBalancer {
    private final Supplier<? extends RandomGenerator> random;

    LeastOutstandingBalancer(long slowStartNanos, Supplier<? extends RandomGenerator> random) {
        super(slowStartNanos);
        this.random = random;
    }

    @Override
    <T extends Candidate> T pickAmongSeveral(List<T> candidates, long nowNanos) {
        int size = candidates.size();
        RandomGenerator generator = null;
        int best = 0;
        long bestLoad = load(candidates.get(0));
        long bestWeight = Weights.effective(candidates.get(0), nowNanos, slowStartNanos);
        int ties = 1;
        for (int i = 1; i < size; i++) {
            T candidate = candidates.get(i);
            long load = load(candidate);
            long weight = Weights.effective(candidate, nowNanos, slowStartNanos);
            // load / weight < bestLoad / bestWeight, exactly: loads < 2^31 and weights < 2^20.
            long cmp = load * bestWeight - bestLoad * weight;
            if (cmp < 0) {
                best = i;
                bestLoad = load;
                bestWeight = weight;
                ties = 1;
            } else if (cmp == 0) {
                ties++;
                if (generator == null) {
                    generator = random.get();
                }
                // Keep the i-th tied candidate with probability 1/ties: each tied one ends up equally likely.
                if (generator.nextInt(ties) == 0) {
                    best = i;
                    bestLoad = load;
                    bestWeight = weight;
                }
            }
        }
        return candidates.get(best);
    }

    private static long load(Candidate candidate) {
        // A counter that briefly went negative (decremented before incremented) counts as idle.
        return Math.max(0, candidate.outstandingRequests()) + 1L;
    }
}
