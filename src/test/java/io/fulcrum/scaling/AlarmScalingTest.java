package io.fulcrum.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.fulcrum.model.AdjustmentType;
import io.fulcrum.model.ComparisonOperator;
import io.fulcrum.model.PolicyAlarm;
import io.fulcrum.model.PredefinedMetric;
import io.fulcrum.model.ScalingPolicy;
import io.fulcrum.model.ScalingPolicyType;
import io.fulcrum.model.StepAdjustment;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Step and simple scaling arithmetic: alarm periods, steps relative to the threshold, AWS's rounding. */
class AlarmScalingTest {
    private static final int MIN = 1;
    private static final int MAX = 10;

    private static AlarmScaling step(ComparisonOperator comparison, double threshold, int periods, AdjustmentType type,
                                     Integer minMagnitude, StepAdjustment... steps) {
        return new AlarmScaling("web-asg", new ScalingPolicy("steps", ScalingPolicyType.StepScaling, null,
                new PolicyAlarm(PredefinedMetric.ASGAverageCPUUtilization, comparison, threshold, periods), type,
                List.of(steps), null, minMagnitude, null));
    }

    @Test
    void stepsAreChosenByTheDistanceFromTheThreshold() {
        AlarmScaling policy = step(ComparisonOperator.GreaterThanOrEqualToThreshold, 60, 1, AdjustmentType.ChangeInCapacity,
                null, new StepAdjustment(0.0, 20.0, 1), new StepAdjustment(20.0, null, 3));
        assertThat(policy.evaluate(59.9, 2, MIN, MAX, false, false)).isEmpty();
        assertThat(policy.inAlarm()).isFalse();
        assertThat(policy.evaluate(60, 2, MIN, MAX, false, false)).hasValue(3); // lower bound inclusive
        assertThat(policy.evaluate(79.9, 3, MIN, MAX, false, false)).hasValue(4);
        assertThat(policy.evaluate(80, 4, MIN, MAX, false, false)).hasValue(7); // upper bound exclusive
        assertThat(policy.evaluate(95, 9, MIN, MAX, false, false)).hasValue(MAX);
        assertThat(policy.evaluate(95, 7, MIN, MAX, true, false)).as("not while warming up").isEmpty();
        assertThat(policy.inAlarm()).isTrue();
        assertThat(policy.alarmName()).isEqualTo("Fulcrum-web-asg-steps");
    }

    @Test
    void scaleInStepsBelowTheThreshold() {
        AlarmScaling policy = step(ComparisonOperator.LessThanThreshold, 30, 2, AdjustmentType.ChangeInCapacity, null,
                new StepAdjustment(-10.0, 0.0, -1), new StepAdjustment(null, -10.0, -2));
        assertThat(policy.evaluate(25, 5, MIN, MAX, false, false)).as("one period of two").isEmpty();
        assertThat(policy.evaluate(25, 5, MIN, MAX, false, false)).hasValue(4);
        assertThat(policy.evaluate(10, 4, MIN, MAX, false, false)).hasValue(2);
        assertThat(policy.evaluate(40, 2, MIN, MAX, false, false)).isEmpty();
        assertThat(policy.evaluate(5, 2, MIN, MAX, false, false)).as("the alarm starts over").isEmpty();
        assertThat(policy.evaluate(5, 2, MIN, MAX, false, false)).hasValue(MIN);
        assertThat(policy.evaluate(Double.NaN, 2, MIN, MAX, false, false)).isEmpty();
        assertThat(policy.inAlarm()).isFalse();
    }

    @Test
    void exactAndPercentChangesRoundAsAws() {
        assertThat(AlarmScaling.apply(AdjustmentType.ExactCapacity, 4, 9, null)).isEqualTo(4);
        assertThat(AlarmScaling.apply(AdjustmentType.PercentChangeInCapacity, 50, 7, null)).isEqualTo(10); // +3.5 -> +3
        assertThat(AlarmScaling.apply(AdjustmentType.PercentChangeInCapacity, 10, 3, null)).isEqualTo(4); // +0.3 -> +1
        assertThat(AlarmScaling.apply(AdjustmentType.PercentChangeInCapacity, -10, 3, null)).isEqualTo(2); // -0.3 -> -1
        assertThat(AlarmScaling.apply(AdjustmentType.PercentChangeInCapacity, -50, 7, null)).isEqualTo(4); // -3.5 -> -3
        assertThat(AlarmScaling.apply(AdjustmentType.PercentChangeInCapacity, 25, 4, 2)).isEqualTo(6); // +1, at least 2
        assertThat(AlarmScaling.apply(AdjustmentType.PercentChangeInCapacity, -25, 4, 2)).isEqualTo(2);
    }

    @Test
    void simpleScalingWaitsForItsCooldown() {
        AlarmScaling policy = new AlarmScaling("web-asg", new ScalingPolicy("simple", ScalingPolicyType.SimpleScaling, null,
                new PolicyAlarm(PredefinedMetric.ALBRequestCountPerTarget, ComparisonOperator.GreaterThanThreshold, 100, 1),
                AdjustmentType.ChangeInCapacity, List.of(), 2, null, Duration.ofSeconds(60)));
        assertThat(policy.evaluate(150, 1, MIN, MAX, false, true)).isEmpty();
        assertThat(policy.inAlarm()).isTrue();
        assertThat(policy.evaluate(150, 1, MIN, MAX, true, false)).isEmpty();
        assertThat(policy.evaluate(150, 1, MIN, MAX, false, false)).hasValue(3);
        assertThat(policy.evaluate(100, 3, MIN, MAX, false, false)).isEmpty(); // not above the threshold
    }
}
