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

/** The target tracking arithmetic on ALBRequestCountPerTarget, with a clock and counts the test sets. */
class TargetTrackingScalingTest {
    private static final Duration TICK = Duration.ofSeconds(5);
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final int MIN = 1;
    private static final int MAX = 4;

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private long count;

    private static TargetTracking policy(double target, boolean disableScaleIn) {
        return new TargetTracking("web-asg", new ScalingPolicy("keep-rps", ScalingPolicyType.TargetTrackingScaling,
                new TargetTrackingConfiguration(PredefinedMetric.ALBRequestCountPerTarget, target, disableScaleIn)),
                new UUID(1, 2));
    }

    /** One tick during which {@code requests} arrived. */
    private OptionalInt tick(TargetTracking policy, long requests, int warmed, boolean warming, int desired) {
        now = now.plus(TICK);
        count += requests;
        return policy.evaluate(now, count, warmed, warming, desired, MIN, MAX, WINDOW);
    }

    @Test
    void firstReadingIsABaselineOnly() {
        TargetTracking policy = policy(600, false);
        assertThat(policy.evaluate(now, 1_000_000, 1, false, 1, MIN, MAX, WINDOW)).isEmpty();
        assertThat(policy.lastMetric()).isNaN();
    }

    @Test
    void scalesOutAtOnceToTheRateOverTheTarget() {
        TargetTracking policy = policy(600, false); // 600 per target per minute = 50 per target per 5 s tick
        tick(policy, 0, 1, false, 1);
        // 120 requests in 5 s = 1440 per minute on one target: ceil(1 x 1440 / 600) = 3
        assertThat(tick(policy, 120, 1, false, 1)).hasValue(3);
        assertThat(policy.lastMetric()).isEqualTo(1440.0);
        assertThat(policy.highAlarm()).isEqualTo("TargetTracking-web-asg-AlarmHigh-" + new UUID(1, 2));
    }

    @Test
    void atTheTargetNothingChanges() {
        TargetTracking policy = policy(600, false);
        tick(policy, 0, 2, false, 2);
        assertThat(tick(policy, 100, 2, false, 2)).isEmpty(); // 1200/min over 2 = 600 each, the target
        assertThat(policy.lastMetric()).isEqualTo(600.0);
    }

    @Test
    void scaleOutIsClampedToMax() {
        TargetTracking policy = policy(600, false);
        tick(policy, 0, 1, false, 1);
        assertThat(tick(policy, 10_000, 1, false, 1)).hasValue(MAX);
    }

    @Test
    void noScalingWhileInstancesWarmUpAndWarmingOnesAreNotCounted() {
        TargetTracking policy = policy(600, false);
        tick(policy, 0, 1, false, 1);
        assertThat(tick(policy, 120, 1, true, 3)).isEmpty(); // high, but the last launches are warming up
        // two of three are still warming: the metric is per the one warmed instance
        assertThat(policy.lastMetric()).isEqualTo(1440.0);
        assertThat(tick(policy, 500, 3, false, 3)).hasValue(MAX); // warmed up: scale out again
    }

    @Test
    void noWarmedInstanceMeansNoDatapoint() {
        TargetTracking policy = policy(600, false);
        tick(policy, 0, 0, true, 1);
        assertThat(tick(policy, 1000, 0, true, 1)).isEmpty();
        assertThat(policy.lastMetric()).isNaN();
    }

    @Test
    void scalesInOneStepOnlyAfterTheMetricStayedLowForTheWindow() {
        TargetTracking policy = policy(600, false);
        tick(policy, 0, 3, false, 3);
        int ticksInWindow = (int) (WINDOW.toSeconds() / TICK.toSeconds());
        for (int i = 0; i < ticksInWindow; i++) {
            assertThat(tick(policy, 10, 3, false, 3)).as("tick %d", i).isEmpty();
        }
        assertThat(tick(policy, 10, 3, false, 3)).hasValue(2);
        // the next step waits a whole window again
        for (int i = 0; i < ticksInWindow - 1; i++) {
            assertThat(tick(policy, 10, 2, false, 2)).as("tick %d", i).isEmpty();
        }
        assertThat(tick(policy, 10, 2, false, 2)).hasValue(1);
        // never below min
        for (int i = 0; i < 3 * ticksInWindow; i++) {
            assertThat(tick(policy, 0, 1, false, 1)).isEmpty();
        }
    }

    @Test
    void aHighDatapointRestartsTheWindow() {
        TargetTracking policy = policy(600, false);
        tick(policy, 0, 2, false, 2);
        int ticksInWindow = (int) (WINDOW.toSeconds() / TICK.toSeconds());
        for (int i = 0; i < ticksInWindow - 2; i++) {
            assertThat(tick(policy, 10, 2, false, 2)).isEmpty();
        }
        assertThat(tick(policy, 100, 2, false, 2)).isEmpty(); // at the target again
        for (int i = 0; i < ticksInWindow; i++) {
            assertThat(tick(policy, 10, 2, false, 2)).as("tick %d", i).isEmpty();
        }
        assertThat(tick(policy, 10, 2, false, 2)).hasValue(1);
    }

    @Test
    void disableScaleInNeverRemovesInstances() {
        TargetTracking policy = policy(600, true);
        tick(policy, 0, 3, false, 3);
        for (int i = 0; i < 100; i++) {
            assertThat(tick(policy, 0, 3, false, 3)).isEmpty();
        }
        assertThat(tick(policy, 1000, 3, false, 3)).hasValue(MAX); // scale-out still works
    }

    @Test
    void scaleInWaitsForWarmUp() {
        TargetTracking policy = policy(600, false);
        tick(policy, 0, 2, false, 3);
        for (int i = 0; i < 30; i++) {
            assertThat(tick(policy, 0, 2, true, 3)).isEmpty();
        }
        assertThat(tick(policy, 0, 3, false, 3)).hasValue(2); // low all along: at once when warm-up ends
    }
}
