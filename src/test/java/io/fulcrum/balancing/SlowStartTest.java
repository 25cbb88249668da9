package io.fulcrum.balancing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SlowStartTest {
    private static final long BEGIN = 5_000_000_000L;
    private static final long DURATION = Duration.ofSeconds(60).toNanos();

    @Test
    void rampsLinearlyFromTheFloorToFullWeight() {
        assertThat(SlowStart.factor(BEGIN, BEGIN, DURATION)).isEqualTo(0.1);
        assertThat(SlowStart.factor(BEGIN, BEGIN + DURATION / 4, DURATION)).isCloseTo(0.325, within(1e-12));
        assertThat(SlowStart.factor(BEGIN, BEGIN + DURATION / 2, DURATION)).isCloseTo(0.55, within(1e-12));
        assertThat(SlowStart.factor(BEGIN, BEGIN + DURATION, DURATION)).isEqualTo(1.0);
        assertThat(SlowStart.factor(BEGIN, BEGIN + 10 * DURATION, DURATION)).isEqualTo(1.0);
    }

    @Test
    void beforeTheBeginningIsTheFloor() {
        assertThat(SlowStart.factor(BEGIN, BEGIN - 1, DURATION)).isEqualTo(0.1);
    }

    @Test
    void noRampWhenOffOrNotApplicable() {
        assertThat(SlowStart.factor(Long.MIN_VALUE, BEGIN, DURATION)).isEqualTo(1.0);
        assertThat(SlowStart.factor(BEGIN, BEGIN, 0)).isEqualTo(1.0);
    }

    @Test
    void survivesNanoTimeWrapAround() {
        long begin = Long.MAX_VALUE - DURATION / 4;
        long now = begin + DURATION / 2; // overflows to a negative value, as nanoTime may
        assertThat(SlowStart.factor(begin, now, DURATION)).isCloseTo(0.55, within(1e-12));
        assertThat(SlowStart.permille(begin, now, DURATION)).isEqualTo(550);
    }

    @Test
    void permilleMatchesTheFactor() {
        assertThat(SlowStart.permille(BEGIN, BEGIN, DURATION)).isEqualTo(100);
        assertThat(SlowStart.permille(BEGIN, BEGIN + DURATION / 2, DURATION)).isEqualTo(550);
        assertThat(SlowStart.permille(BEGIN, BEGIN + DURATION, DURATION)).isEqualTo(1000);
        assertThat(SlowStart.permille(Long.MIN_VALUE, BEGIN, DURATION)).isEqualTo(1000);
        assertThat(SlowStart.permille(BEGIN, BEGIN + 1, DURATION)).isEqualTo(100);
        assertThat(SlowStart.permille(BEGIN, BEGIN + DURATION - 1, DURATION)).isEqualTo(999);
    }
}
