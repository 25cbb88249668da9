package io.fulcrum.scaling;

import java.time.Duration;

/**
 * How an instance refresh runs (AWS's StartInstanceRefresh preferences).
 *
 * @param minHealthyPercentage the share of the desired capacity kept InService, healthy and warmed up
 *     (0-100; AWS's default 90); at least one instance is replaced at a time whatever it says, as in AWS
 * @param instanceWarmup how long a new instance must have been InService before it counts as healthy
 *     and the next batch starts; null for the group's defaultInstanceWarmup
 * @param autoRollback when a new instance fails (its launch, or its health checks), put the previous
 *     template version back and replace the new instances with it
 */
public record InstanceRefreshPreferences(int minHealthyPercentage, Duration instanceWarmup, boolean autoRollback) {
    /** AWS's default MinHealthyPercentage. */
    public static final int DEFAULT_MIN_HEALTHY_PERCENTAGE = 90;
    /** 90 % healthy, the group's warm-up, no rollback: AWS's defaults. */
    public static final InstanceRefreshPreferences DEFAULTS =
            new InstanceRefreshPreferences(DEFAULT_MIN_HEALTHY_PERCENTAGE, null, false);

    public InstanceRefreshPreferences {
        if (minHealthyPercentage < 0 || minHealthyPercentage > 100) {
            throw AutoScalingException.validation("minHealthyPercentage: " + minHealthyPercentage + " (expected: 0-100)");
        }
        if (instanceWarmup != null && instanceWarmup.isNegative()) {
            throw AutoScalingException.validation("instanceWarmup: " + instanceWarmup + " (expected: 0s or more)");
        }
    }
}
