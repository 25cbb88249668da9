package io.fulcrum.model;

import java.util.List;

/** The whole desired state of one Fulcrum: load balancers and the target groups they forward to. */
public record FulcrumConfig(List<LoadBalancer> loadBalancers, List<TargetGroup> targetGroups) {
    public FulcrumConfig {
        loadBalancers = Lists.copy(loadBalancers);
        targetGroups = Lists.copy(targetGroups);
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
}
