package io.fulcrum.balancing;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counting picks, and the tolerances the distribution tests allow. */
final class Picks {
    private Picks() {
    }

    /** How often each candidate (by name) is picked in n picks at nowNanos. */
    static Map<String, Integer> count(Balancer balancer, List<TestCandidate> candidates, int n, long nowNanos) {
        Map<String, Integer> counts = new TreeMap<>();
        for (TestCandidate candidate : candidates) {
            counts.put(candidate.name, 0);
        }
        for (int i = 0; i < n; i++) {
            counts.merge(balancer.pick(candidates, nowNanos).name, 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Five standard deviations of a binomial count of n draws with probability p: with a seeded
     * generator the outcome is fixed, and a correct sampler lands far inside this.
     */
    static long binomialTolerance(int n, double p) {
        return Math.round(5 * Math.sqrt(n * p * (1 - p)));
    }
}
