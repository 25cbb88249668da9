package io.fulcrum.scaling;

import io.fulcrum.model.HealthCheckType;
import io.fulcrum.model.TerminationPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One auto scaling group at a moment, as AWS's DescribeAutoScalingGroups shows it: its sizes as they
 * are now (policies, schedules and users move them), its settings, suspended processes and instances.
 *
 * @param launchTemplateVersion the version the group launches from, as configured: {@code $Latest},
 *     {@code $Default} or a number
 * @param launchingVersion the version number that names now: new instances are launched from it
 * @param instances oldest launch first, with lifecycle state, health, zone, template version and protection
 * @param policies each scaling policy at its last evaluation, in the config's order
 */
public record AutoScalingGroupDescription(String name, String launchTemplateName, String launchTemplateVersion,
                                          int launchingVersion, int minSize, int maxSize, int desiredCapacity, Duration defaultCooldown,
                                          List<String> zones, List<String> targetGroupNames,
                                          HealthCheckType healthCheckType, Duration healthCheckGracePeriod,
                                          List<TerminationPolicy> terminationPolicies,
                                          boolean newInstancesProtectedFromScaleIn,
                                          Set<ProcessType> suspendedProcesses, List<InstanceDescription> instances,
                                          List<PolicyStatus> policies) {
    public AutoScalingGroupDescription {
        zones = List.copyOf(zones);
        targetGroupNames = List.copyOf(targetGroupNames);
        terminationPolicies = List.copyOf(terminationPolicies);
        suspendedProcesses = Set.copyOf(suspendedProcesses);
        instances = List.copyOf(instances);
        policies = List.copyOf(policies);
    }
}
