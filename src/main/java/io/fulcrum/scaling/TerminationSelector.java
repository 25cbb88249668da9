package io.fulcrum.scaling;

import io.fulcrum.model.TerminationPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the instance a scale-in terminates, as AWS does: never a protected one; an unhealthy one
 * first, whatever the policies; otherwise from the zone with the most instances (among zones with an
 * unprotected one; an instance in a zone the group no longer has goes first), then the termination
 * policies in order, each narrowing the choice, then the Default policy, then the lowest id.
 */
public final class TerminationSelector {
    private TerminationSelector() {
    }

    /**
     * @param candidates the group's instances in service or pending (protected ones are skipped here)
     * @param zones the group's zones now
     * @param templateName the group's launch template; instances of another one are "older"
     * @return the instance to terminate, or empty when every candidate is protected
     */
    public static Optional<InstanceDescription> choose(List<InstanceDescription> candidates, List<String> zones,
                                                       List<TerminationPolicy> policies, String templateName) {
        List<InstanceDescription> open = candidates.stream().filter(i -> !i.protectedFromScaleIn()).toList();
        if (open.isEmpty()) {
            return Optional.empty();
        }
        List<InstanceDescription> unhealthy = open.stream().filter(i -> !i.healthy()).toList();
        List<InstanceDescription> left = unhealthy.isEmpty() ? zone(open, candidates, zones) : unhealthy;
        for (TerminationPolicy policy : policies) {
            left = apply(policy, left, templateName);
        }
        left = apply(TerminationPolicy.Default, left, templateName);
        return left.stream().min(Comparator.comparing(InstanceDescription::instanceId));
    }

    /** The open instances of the fullest zone; all instances count towards a zone's size, as in AWS. */
    private static List<InstanceDescription> zone(List<InstanceDescription> open, List<InstanceDescription> all,
                                                  List<String> zones) {
        List<InstanceDescription> strayed = open.stream().filter(i -> !zones.contains(i.zone())).toList();
        if (!strayed.isEmpty()) {
            return strayed;
        }
        Map<String, Integer> perZone = new HashMap<>();
        all.forEach(i -> perZone.merge(i.zone(), 1, Integer::sum));
        int most = open.stream().mapToInt(i -> perZone.get(i.zone())).max().orElseThrow();
        return open.stream().filter(i -> perZone.get(i.zone()) == most).toList();
    }

    private static List<InstanceDescription> apply(TerminationPolicy policy, List<InstanceDescription> left,
                                                   String templateName) {
        return switch (policy) {
            case OldestInstance -> lowest(left, Comparator.comparing(InstanceDescription::launchTime));
            case NewestInstance -> lowest(left, Comparator.comparing(InstanceDescription::launchTime).reversed());
            case OldestLaunchTemplate -> oldestTemplate(left, templateName);
            // AWS's billing-hour step means nothing for local processes: the oldest instance instead
            case Default -> lowest(oldestTemplate(left, templateName), Comparator.comparing(InstanceDescription::launchTime));
        };
    }

    /** Instances of another template first, else those of the lowest version. */
    private static List<InstanceDescription> oldestTemplate(List<InstanceDescription> left, String templateName) {
        List<InstanceDescription> other = left.stream().filter(i -> !i.launchTemplateName().equals(templateName)).toList();
        if (!other.isEmpty()) {
            return other;
        }
        return lowest(left, Comparator.comparingInt(InstanceDescription::launchTemplateVersion));
    }

    /** Those that tie for the lowest by {@code order}. */
    private static List<InstanceDescription> lowest(List<InstanceDescription> left, Comparator<InstanceDescription> order) {
        InstanceDescription first = left.stream().min(order).orElse(null);
        List<InstanceDescription> result = new ArrayList<>();
        for (InstanceDescription instance : left) {
            if (order.compare(instance, first) == 0) {
                result.add(instance);
            }
        }
        return result;
    }
}
