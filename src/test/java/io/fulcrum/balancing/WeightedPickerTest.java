package io.fulcrum.balancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightedPickerTest {
    private final SplittableRandom random = new SplittableRandom(99);

    @Test
    void picksInProportionAndNeverAZeroWeight() {
        int[] weights = {0, 10, 30, 0, 60};
        int n = 100_000;
        int[] counts = new int[weights.length];
        for (int i = 0; i < n; i++) {
            counts[WeightedPicker.pick(weights, random)]++;
        }
        assertThat(counts[0]).isZero();
        assertThat(counts[3]).isZero();
        for (int i : new int[] {1, 2, 4}) {
            double p = weights[i] / 100.0;
            long tolerance = Picks.binomialTolerance(n, p);
            assertThat((long) counts[i]).as("weights[%d]", i)
                    .isBetween(Math.round(n * p) - tolerance, Math.round(n * p) + tolerance);
        }
    }

    @Test
    void aSingleNonZeroWeightIsAlwaysPicked() {
        int[] weights = {0, 0, 999, 0};
        for (int i = 0; i < 100; i++) {
            assertThat(WeightedPicker.pick(weights, random)).isEqualTo(2);
        }
    }

    @Test
    void rejectsWeightsThatCannotBePicked() {
        assertThatThrownBy(() -> WeightedPicker.pick(new int[] {0, 0}, random))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weights: all zero");
        assertThatThrownBy(() -> WeightedPicker.pick(new int[] {}, random))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WeightedPicker.pick(new int[] {1, -1}, random))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("weights[1]: -1 (expected: 0-999)");
        assertThatThrownBy(() -> WeightedPicker.pick(new int[] {1000}, random))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("weights[0]: 1000 (expected: 0-999)");
    }
}
