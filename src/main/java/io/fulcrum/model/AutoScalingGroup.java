package io.fulcrum.model;

import java.time.Duration;
import java.util.List;

/**
 * A group of instances launched from one launch template, kept at {@code desiredCapacity} (between
 * {@code minSize} and {@code maxSize}), spread over {@code zones} and registered in the attached
 * target groups.
 *
 * @param healthCheckGracePeriod how long after its launch an instance's ELB health is not acted on
 * @param policies scaling policies that move {@code desiredCapacity} between min and max
 * @param defaultInstanceWarmup how long after coming into service an instance's metrics are left out
 *     of the policies' figures, and further policy scaling waits
 * @param scaleInStabilization how long a policy's metric must stay low before it removes one instance
 * @param defaultCooldown after a scaling activity, how long simple scaling policies (and a
 *     SetDesiredCapacity that honours the cooldown) wait
 * @param terminationPolicies how scale-in picks its instance, applied in order ({@code [Default]} when empty)
 * @param newInstancesProtectedFromScaleIn new instances start protected from scale-in
 * @param scheduledActions changes of min, max and desired capacity at scheduled times
 * @param launchTemplateVersion {@code $Latest}, {@code $Default} or a version number (null: {@code $Default})
 * @param keepInstancesOnExit when Fulcrum exits, its instances are left running (and adopted by the next
 *     run with the same data directory) instead of drained and terminated
 */
public record AutoScalingGroup(String name, String launchTemplateName, int minSize, int maxSize, int desiredCapacity,
                               List<String> zones, List<String> targetGroupNames, HealthCheckType healthCheckType,
                               Duration healthCheckGracePeriod, List<ScalingPolicy> policies,
                               Duration defaultInstanceWarmup, Duration scaleInStabilization,
                               Duration defaultCooldown, List<TerminationPolicy> terminationPolicies,
                               boolean newInstancesProtectedFromScaleIn, List<ScheduledAction> scheduledActions,
                               String launchTemplateVersion, boolean keepInstancesOnExit) {
    /** 300 s: the value AWS's console sets (the API's default is 0), long enough for a JVM backend to warm up. */
    public static final Duration DEFAULT_HEALTH_CHECK_GRACE_PERIOD = Duration.ofSeconds(300);
    /** EC2, as in AWS: only a dead instance is replaced unless ELB health is asked for. */
    public static final HealthCheckType DEFAULT_HEALTH_CHECK_TYPE = HealthCheckType.EC2;

    /** 30 s: AWS has none by default but strongly recommends one; a small local service is ready sooner. */
    public static final Duration DEFAULT_INSTANCE_WARMUP = Duration.ofSeconds(30);
    /**
     * 60 s. AWS's target tracking scales in when its low alarm has seen 15 one-minute datapoints below
     * target; the balancer sees its own counters live, so a shorter window keeps capacity as steady.
     */
    public static final Duration DEFAULT_SCALE_IN_STABILIZATION = Duration.ofSeconds(60);

    /** 300 s, AWS's DefaultCooldown; it applies to simple scaling only. */
    public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(300);

    /** A group whose instances are terminated when Fulcrum exits. */
    public AutoScalingGroup(String name, String launchTemplateName, int minSize, int maxSize, int desiredCapacity,
                            List<String> zones, List<String> targetGroupNames, HealthCheckType healthCheckType,
                            Duration healthCheckGracePeriod, List<ScalingPolicy> policies,
                            Duration defaultInstanceWarmup, Duration scaleInStabilization, Duration defaultCooldown,
                            List<TerminationPolicy> terminationPolicies, boolean newInstancesProtectedFromScaleIn,
                            List<ScheduledAction> scheduledActions, String launchTemplateVersion) {
        this(name, launchTemplateName, minSize, maxSize, desiredCapacity, zones, targetGroupNames, healthCheckType,
                healthCheckGracePeriod, policies, defaultInstanceWarmup, scaleInStabilization, defaultCooldown,
                terminationPolicies, newInstancesProtectedFromScaleIn, scheduledActions, launchTemplateVersion, false);
    }

    /** A group without scheduled actions. */
    public AutoScalingGroup(String name, String launchTemplateName, int minSize, int maxSize, int desiredCapacity,
                            List<String> zones, List<String> targetGroupNames, HealthCheckType healthCheckType,
                            Duration healthCheckGracePeriod, List<ScalingPolicy> policies,
                            Duration defaultInstanceWarmup, Duration scaleInStabilization, Duration defaultCooldown,
                            List<TerminationPolicy> terminationPolicies, boolean newInstancesProtectedFromScaleIn) {
        this(name, launchTemplateName, minSize, maxSize, desiredCapacity, zones, targetGroupNames, healthCheckType,
                healthCheckGracePeriod, policies, defaultInstanceWarmup, scaleInStabilization, defaultCooldown,
                terminationPolicies, newInstancesProtectedFromScaleIn, List.of(), null);
    }

    /** A group launching from its template's {@code $Default} version. */
    public AutoScalingGroup(String name, String launchTemplateName, int minSize, int maxSize, int desiredCapacity,
                            List<String> zones, List<String> targetGroupNames, HealthCheckType healthCheckType,
                            Duration healthCheckGracePeriod, List<ScalingPolicy> policies,
                            Duration defaultInstanceWarmup, Duration scaleInStabilization, Duration defaultCooldown,
                            List<TerminationPolicy> terminationPolicies, boolean newInstancesProtectedFromScaleIn,
                            List<ScheduledAction> scheduledActions) {
        this(name, launchTemplateName, minSize, maxSize, desiredCapacity, zones, targetGroupNames, healthCheckType,
                healthCheckGracePeriod, policies, defaultInstanceWarmup, scaleInStabilization, defaultCooldown,
                terminationPolicies, newInstancesProtectedFromScaleIn, scheduledActions, null);
    }

    /** A group with the default cooldown and termination policy, new instances unprotected. */
    public AutoScalingGroup(String name, String launchTemplateName, int minSize, int maxSize, int desiredCapacity,
                            List<String> zones, List<String> targetGroupNames, HealthCheckType healthCheckType,
                            Duration healthCheckGracePeriod, List<ScalingPolicy> policies,
                            Duration defaultInstanceWarmup, Duration scaleInStabilization) {
        this(name, launchTemplateName, minSize, maxSize, desiredCapacity, zones, targetGroupNames, healthCheckType,
                healthCheckGracePeriod, policies, defaultInstanceWarmup, scaleInStabilization, null, List.of(), false,
                List.of(), null);
    }

    /** A group without scaling policies. */
    public AutoScalingGroup(String name, String launchTemplateName, int minSize, int maxSize, int desiredCapacity,
                            List<String> zones, List<String> targetGroupNames, HealthCheckType healthCheckType,
                            Duration healthCheckGracePeriod) {
        this(name, launchTemplateName, minSize, maxSize, desiredCapacity, zones, targetGroupNames, healthCheckType,
                healthCheckGracePeriod, List.of(), null, null);
    }

    public AutoScalingGroup {
        zones = Lists.copy(zones);
        targetGroupNames = Lists.copy(targetGroupNames);
        if (healthCheckType == null) {
            healthCheckType = DEFAULT_HEALTH_CHECK_TYPE;
        }
        if (healthCheckGracePeriod == null) {
            healthCheckGracePeriod = DEFAULT_HEALTH_CHECK_GRACE_PERIOD;
        }
        policies = Lists.copy(policies);
        if (defaultInstanceWarmup == null) {
            defaultInstanceWarmup = DEFAULT_INSTANCE_WARMUP;
        }
        if (scaleInStabilization == null) {
            scaleInStabilization = DEFAULT_SCALE_IN_STABILIZATION;
        }
        if (defaultCooldown == null) {
            defaultCooldown = DEFAULT_COOLDOWN;
        }
        terminationPolicies = terminationPolicies == null || terminationPolicies.isEmpty()
                ? List.of(TerminationPolicy.Default) : Lists.copy(terminationPolicies);
        scheduledActions = Lists.copy(scheduledActions);
        if (launchTemplateVersion == null) {
            launchTemplateVersion = LaunchTemplate.DEFAULT;
        }
    }

    /** This group launching from another version of its template. */
    public AutoScalingGroup withLaunchTemplateVersion(String version) {
        return new AutoScalingGroup(name, launchTemplateName, minSize, maxSize, desiredCapacity, zones, targetGroupNames,
                healthCheckType, healthCheckGracePeriod, policies, defaultInstanceWarmup, scaleInStabilization,
                defaultCooldown, terminationPolicies, newInstancesProtectedFromScaleIn, scheduledActions, version,
                keepInstancesOnExit);
    }

    /** This group with other size limits (min, max and desired). */
    public AutoScalingGroup withCapacity(int min, int max, int desired) {
        return new AutoScalingGroup(name, launchTemplateName, min, max, desired, zones, targetGroupNames,
                healthCheckType, healthCheckGracePeriod, policies, defaultInstanceWarmup, scaleInStabilization,
                defaultCooldown, terminationPolicies, newInstancesProtectedFromScaleIn, scheduledActions,
                launchTemplateVersion, keepInstancesOnExit);
    }

    /** This group with other termination policies and scale-in protection of new instances. */
    public AutoScalingGroup withTermination(List<TerminationPolicy> policies, boolean protectNewInstances) {
        return new AutoScalingGroup(name, launchTemplateName, minSize, maxSize, desiredCapacity, zones, targetGroupNames,
                healthCheckType, healthCheckGracePeriod, this.policies, defaultInstanceWarmup, scaleInStabilization,
                defaultCooldown, policies, protectNewInstances, scheduledActions, launchTemplateVersion,
                keepInstancesOnExit);
    }

    /** This group with its instances kept running, or not, when Fulcrum exits. */
    public AutoScalingGroup withKeepInstancesOnExit(boolean keep) {
        return new AutoScalingGroup(name, launchTemplateName, minSize, maxSize, desiredCapacity, zones, targetGroupNames,
                healthCheckType, healthCheckGracePeriod, policies, defaultInstanceWarmup, scaleInStabilization,
                defaultCooldown, terminationPolicies, newInstancesProtectedFromScaleIn, scheduledActions,
                launchTemplateVersion, keep);
    }
}
