package io.fulcrum.scaling;

import io.fulcrum.model.ScalingPolicyType;
import java.time.Instant;

/**
 * A scaling policy at its last evaluation: what an admin sees in place of CloudWatch's alarm state.
 *
 * @param alarmName the alarm its causes name (a target tracking policy's high alarm)
 * @param lastMetric the metric then (requests per target per minute, CPU percent or response time in seconds); NaN without a datapoint
 * @param inAlarm for a step or simple policy: its alarm is in ALARM; false for target tracking
 * @param evaluatedAt when it was last evaluated, on the group's clock; null before the first time
 */
public record PolicyStatus(String policyName, ScalingPolicyType policyType, String alarmName, double lastMetric,
                           boolean inAlarm, Instant evaluatedAt) {
}
