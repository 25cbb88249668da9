package io.fulcrum.scaling;

import io.fulcrum.model.AdjustmentType;
import io.fulcrum.model.PolicyAlarm;
import io.fulcrum.model.ScalingPolicy;
import io.fulcrum.model.ScalingPolicyType;
import io.fulcrum.model.StepAdjustment;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One step or simple scaling policy with its alarm, as a pure computation: given the metric at each
 * evaluation it proposes a new desired capacity. The alarm is in ALARM once the metric has breached the
 * threshold for its evaluation periods in a row; while it is, a step policy applies the step the
 * metric's distance from the threshold falls in at every evaluation (not while instances warm up or an
 * activity is in progress), a simple policy applies its adjustment once its cooldown is over.
 * Not thread-safe: the group's controller thread owns it.
 */
public final class AlarmScaling {
    private final ScalingPolicy policy;
    private final String alarmName;
    private int breaching;
    private double lastMetric = Double.NaN;

    public AlarmScaling(String groupName, ScalingPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(policy.alarm(), "policy.alarm");
        this.alarmName = "Fulcrum-" + groupName + "-" + policy.name();
    }

    public ScalingPolicy policy() {
        return policy;
    }

    /** The name its activities' causes give the alarm: {@code Fulcrum-<group>-<policy>}. */
    public String alarmName() {
        return alarmName;
    }

    public double lastMetric() {
        return lastMetric;
    }

    /** True when the last evaluations breached the threshold for the alarm's evaluation periods. */
    public boolean inAlarm() {
        return breaching >= policy.alarm().evaluationPeriods();
    }

    /**
     * One evaluation.
     *
     * @param metric the metric now, NaN when there is no datapoint (no warmed-up instance): the alarm resets
     * @param busy an instance is launching, pending or warming up, or an activity is in progress
     * @param coolingDown a simple policy's cooldown since the last activity is not over
     * @return the desired capacity this policy wants, when it differs from {@code desired}
     */
    public OptionalInt evaluate(double metric, int desired, int min, int max, boolean busy, boolean coolingDown) {
        lastMetric = metric;
        PolicyAlarm alarm = policy.alarm();
        if (Double.isNaN(metric)) {
            breaching = 0;
            return OptionalInt.empty();
        }
        breaching = alarm.comparisonOperator().breaches(metric, alarm.threshold()) ? breaching + 1 : 0;
        if (!inAlarm()) {
            return OptionalInt.empty();
        }
        int adjustment;
        if (policy.type() == ScalingPolicyType.StepScaling) {
            if (busy) {
                return OptionalInt.empty();
            }
            StepAdjustment step = policy.stepAdjustments().stream()
                    .filter(s -> s.contains(metric - alarm.threshold())).findFirst().orElse(null);
            if (step == null) {
                return OptionalInt.empty();
            }
            adjustment = step.scalingAdjustment();
        } else {
            if (busy || coolingDown) {
                return OptionalInt.empty();
            }
            adjustment = policy.scalingAdjustment();
        }
        int wanted = apply(policy.adjustmentType(), adjustment, desired, policy.minAdjustmentMagnitude());
        wanted = Math.max(min, Math.min(max, wanted));
        return wanted == desired ? OptionalInt.empty() : OptionalInt.of(wanted);
    }

    /**
     * The desired capacity after an adjustment, as AWS computes it: a percentage change above 1 (or below
     * -1) is rounded towards zero, one between -1 and 1 becomes ±1, and a change smaller than
     * {@code minAdjustmentMagnitude} is raised to it.
     */
    public static int apply(AdjustmentType type, int adjustment, int desired, Integer minAdjustmentMagnitude) {
        return switch (type) {
            case ChangeInCapacity -> desired + adjustment;
            case ExactCapacity -> adjustment;
            case PercentChangeInCapacity -> {
                double raw = desired * adjustment / 100.0;
                int change = raw >= 1 ? (int) Math.floor(raw) : raw > 0 ? 1 : raw <= -1 ? (int) Math.ceil(raw)
                        : raw < 0 ? -1 : 0;
                int magnitude = minAdjustmentMagnitude == null ? 0 : minAdjustmentMagnitude;
                if (change != 0 && Math.abs(change) < magnitude) {
                    change = Integer.signum(change) * magnitude;
                }
                yield desired + change;
            }
        };
    }
}
