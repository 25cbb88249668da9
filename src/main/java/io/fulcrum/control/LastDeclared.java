package io.fulcrum.control;

import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.Target;
import io.fulcrum.model.TargetGroup;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The values a declared document (the config file, or a whole document put through the API) said at
 * its last apply, for the fields the live system may change afterwards: the next declared apply
 * overrides a live value only when the declared one itself changed. Stored with each revision.
 *
 * @param desiredCapacities each auto scaling group's declared desiredCapacity, by group name
 * @param targets each target group's declared targets ({@link Target#address()}), by group name: a
 *     declared apply removes only targets it declared before, never those registered through the API
 */
public record LastDeclared(Map<String, Integer> desiredCapacities, Map<String, Set<String>> targets) {
    /** Nothing declared yet. */
    public static final LastDeclared NONE = new LastDeclared(Map.of(), Map.of());

    public LastDeclared {
        desiredCapacities = Map.copyOf(desiredCapacities);
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        targets.forEach((group, addresses) -> copy.put(group, Set.copyOf(addresses)));
        targets = Map.copyOf(copy);
    }

    /** What {@code declared} says, for the next apply to compare with. */
    public static LastDeclared of(FulcrumConfig declared) {
        Map<String, Integer> capacities = new LinkedHashMap<>();
        for (AutoScalingGroup group : declared.autoScalingGroups()) {
            capacities.put(group.name(), group.desiredCapacity());
        }
        Map<String, Set<String>> targets = new LinkedHashMap<>();
        for (TargetGroup group : declared.targetGroups()) {
            Set<String> addresses = new LinkedHashSet<>();
            group.targets().forEach(target -> addresses.add(target.address()));
            targets.put(group.name(), addresses);
        }
        return new LastDeclared(capacities, targets);
    }
}
