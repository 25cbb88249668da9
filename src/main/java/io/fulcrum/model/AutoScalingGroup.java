package io.fulcrum.model;

import java.time.Duration;
import java.util.List;

/**
 * A group of instances launched from one launch template, kept at {@code desiredCapacity} (between
 * {@code minSize} and {@code maxSize}), spread over {@code zones} and registered in the attached
 * target groups.
 *
 * @param healthCheckGracePeriod how long after its launch an instance's ELB health is not acted on
 */
public record AutoScalingGroup(String name, String launchTemplateName, int minSize, int maxSize, int desiredCapacity,
                               List<String> zones, List<String> targetGroupNames, HealthCheckType healthCheckType,
                               Duration healthCheckGracePeriod) {
    /** 300 s: the value AWS's console sets (the API's default is 0), long enough for a JVM backend to warm up. */
    public static final Duration DEFAULT_HEALTH_CHECK_GRACE_PERIOD = Duration.ofSeconds(300);
    /** EC2, as in AWS: only a dead instance is replaced unless ELB health is asked for. */
    public static final HealthCheckType DEFAULT_HEALTH_CHECK_TYPE = HealthCheckType.EC2;

    public AutoScalingGroup {
        zones = Lists.copy(zones);
        targetGroupNames = Lists.copy(targetGroupNames);
        if (healthCheckType == null) {
            healthCheckType = DEFAULT_HEALTH_CHECK_TYPE;
        }
        if (healthCheckGracePeriod == null) {
            healthCheckGracePeriod = DEFAULT_HEALTH_CHECK_GRACE_PERIOD;
        }
    }

    /** This group with other size limits (min, max and desired). */
    public AutoScalingGroup withCapacity(int min, int max, int desired) {
        return new AutoScalingGroup(name, launchTemplateName, min, max, desired, zones, targetGroupNames,
                healthCheckType, healthCheckGracePeriod);
    }
}
