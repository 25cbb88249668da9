package io.fulcrum.balancing;

import java.util.Objects;
import java.util.random.RandomGenerator;

/** Picks an index at random in proportion to int weights, e.g. a forward action's target groups. */
public final class WeightedPicker {
    /** Largest weight of a forward action's target group, as in ALB. */
    public static final int MAX_WEIGHT = 999;

    private WeightedPicker() {
    }

    /**
     * An index of weights, each with probability weight / sum; a zero weight is never picked.
     * Allocation-free.
     *
     * @param weights 0..999 each, at least one above zero
     * @throws IllegalArgumentException if a weight is out of range or all are zero
     */
    public static int pick(int[] weights, RandomGenerator random) {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(random, "random");
        int total = 0;
        int last = -1;
        for (int i = 0; i < weights.length; i++) {
            int weight = weights[i];
            if (weight < 0 || weight > MAX_WEIGHT) {
                throw new IllegalArgumentException(
                        "weights[" + i + "]: " + weight + " (expected: 0-" + MAX_WEIGHT + ")");
            }
            if (weight > 0) {
                total += weight;
                last = i;
            }
        }
        if (total == 0) {
            throw new IllegalArgumentException("weights: all zero (expected: at least one weight above 0)");
        }
        int position = random.nextInt(total);
        for (int i = 0; i < last; i++) {
            position -= weights[i];
            if (position < 0) {
                return i;
            }
        }
        return last;
    }
}
