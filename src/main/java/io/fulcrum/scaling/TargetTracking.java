package io.fulcrum.scaling;

import io.fulcrum.model.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * One target tracking policy's state and arithmetic, kept apart from the controller so it is a pure
 * computation: given the group's cumulative request count (or another metric) at each evaluation, it proposes a new
 * desired capacity. Scale-out is proposed at once; scale-in only once the metric has stayed low for
 * the stabilisation window, one instance at a time; neither while instances are still warming up.
 * Not thread-safe: the group's controller thread owns it.
 */
public final class TargetTracking {
    private final ScalingPolicy policy;
    private final String highAlarm;
    private final String lowAlarm;
    private Instant lastAt;
    private long lastCount;
    private Instant lowSince;
    private double lastMetric = Double.NaN;

    /** @param alarmId the id in the names of the policy's two alarms, as AWS names them */
    public TargetTracking(String groupName, ScalingPolicy policy, UUID alarmId) {
        this.policy = Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(policy.targetTracking(), "policy.targetTracking");
        this.highAlarm = "TargetTracking-" + groupName + "-AlarmHigh-" + alarmId;
        this.lowAlarm = "TargetTracking-" + groupName + "-AlarmLow-" + alarmId;
    }

    public ScalingPolicy policy() {
        return policy;
    }

    /** The name of the alarm whose state ALARM means "scale out" ({@code TargetTracking-<asg>-AlarmHigh-<uuid>}). */
    public String highAlarm() {
        return highAlarm;
    }

    /** The name of the alarm whose state ALARM means "scale in". */
    public String lowAlarm() {
        return lowAlarm;
    }

    /** The metric at the last evaluation, in its unit, NaN when there was none. */
    public double lastMetric() {
        return lastMetric;
    }

    /**
     * One evaluation.
     *
     * @param requestCount the target group's cumulative request count now
     * @param warmedInService InService instances past their warm-up: the metric is per one of these
     * @param warming true while an instance is launching, pending or warming up: no scaling then
     * @return the desired capacity this policy wants, when it differs from {@code desired}
     */
    public OptionalInt evaluate(Instant now, long requestCount, int warmedInService, boolean warming, int desired,
                                int min, int max, Duration stabilization) {
        Instant previousAt = lastAt;
        long previousCount = lastCount;
        lastAt = now;
        lastCount = requestCount;
        if (previousAt == null || !now.isAfter(previousAt)) {
            return OptionalInt.empty(); // a baseline: a rate needs two readings
        }
        if (warmedInService == 0) {
            lastMetric = Double.NaN; // no datapoint, as a CloudWatch metric with no targets
            lowSince = null;
            return OptionalInt.empty();
        }
        // a smaller count means the target group was removed and added back: count from zero
        long delta = requestCount >= previousCount ? requestCount - previousCount : requestCount;
        double perMinute = delta * 60_000.0 / Duration.between(previousAt, now).toMillis();
        return decide(now, perMinute / warmedInService, warmedInService, warming, desired, min, max, stabilization);
    }

    /**
     * One evaluation of a metric measured elsewhere (ASGAverageCPUUtilization: the average over the
     * warmed-up InService instances; ALBTargetResponseTime: the average response time in the window).
     * Either way above the target asks for {@code warmedInService x metric / target} instances.
     *
     * @param metric the metric now, NaN when there is no datapoint
     */
    public OptionalInt evaluateMetric(Instant now, double metric, int warmedInService, boolean warming, int desired,
                                      int min, int max, Duration stabilization) {
        if (Double.isNaN(metric) || warmedInService == 0) {
            lastMetric = Double.NaN;
            lowSince = null;
            return OptionalInt.empty();
        }
        return decide(now, metric, warmedInService, warming, desired, min, max, stabilization);
    }

    private OptionalInt decide(Instant now, double metric, int warmedInService, boolean warming, int desired,
                               int min, int max, Duration stabilization) {
        lastMetric = metric;
        double target = policy.targetTracking().targetValue();
        // AWS's ceil(current x metric / target), current being the instances the metric is averaged over
        int wanted = (int) Math.min(Integer.MAX_VALUE, Math.ceil(warmedInService * metric / target - 1e-9));
        wanted = Math.max(min, Math.min(max, wanted));
        if (wanted > desired) {
            lowSince = null;
            return warming ? OptionalInt.empty() : OptionalInt.of(wanted);
        }
        if (wanted < desired && !policy.targetTracking().disableScaleIn()) {
            if (lowSince == null) {
                lowSince = now;
            }
            if (warming || Duration.between(lowSince, now).compareTo(stabilization) < 0) {
                return OptionalInt.empty();
            }
            lowSince = now; // the next step waits a whole window again
            return OptionalInt.of(desired - 1);
        }
        lowSince = null;
        return OptionalInt.empty();
    }
}
