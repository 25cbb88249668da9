package io.fulcrum.control;

import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.FulcrumConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values a declared document (the config file, or a whole document put through the API) said at
 * its last apply, for the fields the live system may change afterwards: the next declared apply
 * overrides a live value only when the declared one itself changed. Stored with each revision.
 *
 * @param desiredCapacities each auto scaling group's declared desiredCapacity, by group name
 */
public record LastDeclared(Map<String, Integer> desiredCapacities) {
    /** Nothing declared yet. */
    public static final LastDeclared NONE = new LastDeclared(Map.of());

    public LastDeclared {
        desiredCapacities = Map.copyOf(desiredCapacities);
    }

    /** What {@code declared} says, for the next apply to compare with. */
    public static LastDeclared of(FulcrumConfig declared) {
        Map<String, Integer> capacities = new LinkedHashMap<>();
        for (AutoScalingGroup group : declared.autoScalingGroups()) {
            capacities.put(group.name(), group.desiredCapacity());
        }
        return new LastDeclared(capacities);
    }
}
