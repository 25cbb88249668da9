package io.fulcrum.model;

import java.util.List;

/**
 * The whole desired state of one Fulcrum: load balancers, the target groups they forward to, and the
 * launch templates and auto scaling groups that keep instances registered in those target groups.
 */
public record FulcrumConfig(List<LoadBalancer> loadBalancers, List<TargetGroup> targetGroups,
                            List<LaunchTemplate> launchTemplates, List<AutoScalingGroup> autoScalingGroups) {
    public FulcrumConfig {
        loadBalancers = Lists.copy(loadBalancers);
        targetGroups = Lists.copy(targetGroups);
        launchTemplates = Lists.copy(launchTemplates);
        autoScalingGroups = Lists.copy(autoScalingGroups);
    }

    /** A config without auto scaling. */
    public FulcrumConfig(List<LoadBalancer> loadBalancers, List<TargetGroup> targetGroups) {
        this(loadBalancers, targetGroups, List.of(), List.of());
    }

    /** The target group with this name, or null. */
    public TargetGroup targetGroup(String name) {
        for (TargetGroup group : targetGroups) {
            if (group.name().equals(name)) {
                return group;
            }
        }
        return null;
    }

    /** The launch template with this name, or null. */
    public LaunchTemplate launchTemplate(String name) {
        for (LaunchTemplate template : launchTemplates) {
            if (template.name().equals(name)) {
                return template;
            }
        }
        return null;
    }

    /** The auto scaling group with this name, or null. */
    public AutoScalingGroup autoScalingGroup(String name) {
        for (AutoScalingGroup group : autoScalingGroups) {
            if (group.name().equals(name)) {
                return group;
            }
        }
        return null;
    }
}
