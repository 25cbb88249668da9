package io.fulcrum.control;

import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.FulcrumConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Who owns what when a declared document is applied over the live state: the document owns everything
 * it states, except an auto scaling group's desiredCapacity, which it sets only when the group is new or
 * when the document's own value changed since its last apply; otherwise the live value stays (clamped
 * to the declared minSize..maxSize), so a file apply never undoes a scale-out.
 */
final class Ownership {
    private Ownership() {
    }

    static FulcrumConfig merge(FulcrumConfig live, FulcrumConfig declared, LastDeclared last) {
        List<AutoScalingGroup> groups = new ArrayList<>(declared.autoScalingGroups().size());
        for (AutoScalingGroup group : declared.autoScalingGroups()) {
            AutoScalingGroup current = live.autoScalingGroup(group.name());
            Integer lastDeclared = last.desiredCapacities().get(group.name());
            if (current == null || lastDeclared == null || lastDeclared != group.desiredCapacity()) {
                groups.add(group); // new, newly declared, or the declared value itself changed
            } else {
                int kept = Math.max(group.minSize(), Math.min(group.maxSize(), current.desiredCapacity()));
                groups.add(group.withCapacity(group.minSize(), group.maxSize(), kept));
            }
        }
        return new FulcrumConfig(declared.loadBalancers(), declared.targetGroups(), declared.launchTemplates(), groups);
    }
}
