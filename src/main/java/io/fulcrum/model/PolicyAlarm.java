package io.fulcrum.model;

/**
 * The alarm of a step or simple scaling policy. AWS attaches a CloudWatch alarm to such a policy;
 * Fulcrum has no CloudWatch, so the policy carries its alarm: the metric, how it is compared with the
 * threshold, and how many consecutive evaluations (one each policy interval, 5 s) must breach.
 *
 * @param evaluationPeriods consecutive breaching evaluations before the alarm is in ALARM (1 or more)
 */
public record PolicyAlarm(PredefinedMetric metric, ComparisonOperator comparisonOperator, double threshold,
                          int evaluationPeriods) {
    /** One breaching evaluation is enough. */
    public static final int DEFAULT_EVALUATION_PERIODS = 1;
}
