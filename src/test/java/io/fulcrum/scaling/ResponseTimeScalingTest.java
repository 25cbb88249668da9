package io.fulcrum.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.PredefinedMetric;
import io.fulcrum.model.ScalingPolicy;
import io.fulcrum.model.ScalingPolicyType;
import io.fulcrum.model.TargetTrackingConfiguration;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Target tracking arithmetic on ALBTargetResponseTime (seconds), with a clock and averages the test sets. */
class ResponseTimeScalingTest {
    private static final Duration TICK = Duration.ofSeconds(5);
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final int TICKS_IN_WINDOW = (int) (WINDOW.toSeconds() / TICK.toSeconds());

    private final TargetTracking policy = new TargetTracking("web-asg", new ScalingPolicy("keep-latency",
            ScalingPolicyType.TargetTrackingScaling,
            new TargetTrackingConfiguration(PredefinedMetric.ALBTargetResponseTime, 0.25, false)), new UUID(3, 4));
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    private OptionalInt tick(double seconds, int warmed, int desired) {
        now = now.plus(TICK);
        return policy.evaluateMetric(now, seconds, warmed, false, desired, 1, 10, WINDOW);
    }

    @Test
    void slowAnswersScaleOutInProportionToTheTarget() {
        assertThat(tick(0.75, 2, 2)).hasValue(6); // three times the target: three times the instances
        assertThat(policy.lastMetric()).isEqualTo(0.75);
        assertThat(tick(0.26, 2, 2)).hasValue(3); // just above: one more
        assertThat(tick(0.25, 2, 2)).isEmpty(); // at the target
    }

    @Test
    void fastAnswersScaleInOneStepAfterTheWindow() {
        for (int i = 0; i < TICKS_IN_WINDOW; i++) {
            assertThat(tick(0.01, 3, 3)).as("tick %d", i).isEmpty();
        }
        assertThat(tick(0.01, 3, 3)).hasValue(2);
    }

    @Test
    void aWindowWithoutResponsesIsNoDatapointAndRestartsTheStabilisation() {
        for (int i = 0; i < TICKS_IN_WINDOW - 1; i++) {
            assertThat(tick(0.01, 3, 3)).isEmpty();
        }
        assertThat(tick(Double.NaN, 3, 3)).isEmpty(); // no request answered in this interval
        assertThat(policy.lastMetric()).isNaN();
        for (int i = 0; i < 5 * TICKS_IN_WINDOW; i++) {
            assertThat(tick(Double.NaN, 3, 3)).as("idle tick %d", i).isEmpty(); // idle: no change either way
        }
        for (int i = 0; i < TICKS_IN_WINDOW; i++) {
            assertThat(tick(0.01, 3, 3)).as("tick %d", i).isEmpty(); // a whole window of data again
        }
        assertThat(tick(0.01, 3, 3)).hasValue(2);
    }
}
