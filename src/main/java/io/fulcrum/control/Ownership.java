package io.fulcrum.control;

import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.Target;
import io.fulcrum.model.TargetGroup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who owns what when a declared document is applied over the live state: the document owns everything
 * it states, except an auto scaling group's desiredCapacity, which it sets only when the group is new or
 * when the document's own value changed since its last apply; otherwise the live value stays (clamped
 * to the declared minSize..maxSize), so a file apply never undoes a scale-out; and a target group's
 * targets, where the document removes only the targets it declared itself before: targets registered
 * through the API stay (a three-way merge, as kubectl apply's).
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
        List<TargetGroup> targetGroups = new ArrayList<>(declared.targetGroups().size());
        for (TargetGroup group : declared.targetGroups()) {
            targetGroups.add(withRegisteredTargets(group, live.targetGroup(group.name()), last));
        }
        return new FulcrumConfig(declared.loadBalancers(), targetGroups, declared.launchTemplates(), groups);
    }

    /** The declared group, plus the live targets neither it nor the last declared document named. */
    private static TargetGroup withRegisteredTargets(TargetGroup declared, TargetGroup live, LastDeclared last) {
        if (live == null) {
            return declared;
        }
        Set<String> declaredBefore = last.targets().getOrDefault(declared.name(), Set.of());
        Set<String> declaredNow = new HashSet<>();
        declared.targets().forEach(target -> declaredNow.add(target.address()));
        List<Target> targets = new ArrayList<>(declared.targets());
        for (Target target : live.targets()) {
            String address = target.address();
            if (!declaredNow.contains(address) && !declaredBefore.contains(address)) {
                targets.add(target); // registered through the API: not the document's to remove
            }
        }
        if (targets.size() == declared.targets().size()) {
            return declared;
        }
        return new TargetGroup(declared.name(), declared.protocol(), declared.port(), declared.targetType(), targets,
                declared.healthCheck(), declared.attributes(), declared.protocolVersion());
    }
}
