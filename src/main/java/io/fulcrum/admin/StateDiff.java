package io.fulcrum.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fulcrum.config.ConfigWriter;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.Listener;
import io.fulcrum.model.LoadBalancer;
import io.fulcrum.model.Rule;
import io.fulcrum.model.Target;
import io.fulcrum.model.TargetGroup;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What would change between two desired states, resource by resource (matched by name, a listener by
 * its load balancer and port, a rule by its listener and priority, a target by its group and address),
 * each change naming the fields that differ, in the config file's field paths.
 */
public final class StateDiff {
    /**
     * One changed resource.
     *
     * @param action add, remove or change
     * @param kind loadBalancer, listener, rule, targetGroup, target, launchTemplate or autoScalingGroup
     * @param name the resource's name: {@code lb}, {@code lb/80} (listener), {@code lb/80/10} (rule),
     *     {@code tg}, {@code tg/10.0.0.1:8080} (target), …
     * @param fields the changed fields' paths within the resource (only for a change)
     */
    public record Change(String action, String kind, String name, List<String> fields) {
        public Change {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(name, "name");
            fields = List.copyOf(fields);
        }
    }

    private final List<Change> changes = new ArrayList<>();

    private StateDiff() {
    }

    /** The changes that turn {@code before} into {@code after}, kind by kind, in the config file's order. */
    public static List<Change> between(FulcrumConfig before, FulcrumConfig after) {
        StateDiff diff = new StateDiff();
        diff.compare("loadBalancer", loadBalancers(before), loadBalancers(after));
        diff.compare("listener", listeners(before), listeners(after));
        diff.compare("rule", rules(before), rules(after));
        diff.compare("targetGroup", targetGroups(before), targetGroups(after));
        diff.compare("target", targets(before), targets(after));
        diff.compare("launchTemplate", byName(before.launchTemplates(), t -> t.name(), ConfigWriter::launchTemplate),
                byName(after.launchTemplates(), t -> t.name(), ConfigWriter::launchTemplate));
        diff.compare("autoScalingGroup", byName(before.autoScalingGroups(), g -> g.name(), ConfigWriter::autoScalingGroup),
                byName(after.autoScalingGroups(), g -> g.name(), ConfigWriter::autoScalingGroup));
        return List.copyOf(diff.changes);
    }

    private void compare(String kind, Map<String, ObjectNode> before, Map<String, ObjectNode> after) {
        for (Map.Entry<String, ObjectNode> entry : before.entrySet()) {
            ObjectNode next = after.get(entry.getKey());
            if (next == null) {
                changes.add(new Change("remove", kind, entry.getKey(), List.of()));
            } else if (!next.equals(entry.getValue())) {
                List<String> fields = new ArrayList<>();
                fields(entry.getValue(), next, "", fields);
                changes.add(new Change("change", kind, entry.getKey(), fields));
            }
        }
        for (String name : after.keySet()) {
            if (!before.containsKey(name)) {
                changes.add(new Change("add", kind, name, List.of()));
            }
        }
    }

    /** The paths of the leaves that differ; a list whose length changed is named whole. */
    private static void fields(JsonNode a, JsonNode b, String path, List<String> out) {
        if (Objects.equals(a, b)) {
            return;
        }
        if (a != null && b != null && a.isObject() && b.isObject()) {
            List<String> keys = new ArrayList<>();
            a.fieldNames().forEachRemaining(keys::add);
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!keys.contains(key)) {
                    keys.add(key);
                }
            }
            for (String key : keys) {
                fields(a.get(key), b.get(key), path.isEmpty() ? key : path + "." + key, out);
            }
        } else if (a != null && b != null && a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                fields(a.get(i), b.get(i), path + "[" + i + "]", out);
            }
        } else {
            out.add(path.isEmpty() ? "(whole)" : path);
        }
    }

    private static Map<String, ObjectNode> loadBalancers(FulcrumConfig config) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (LoadBalancer lb : config.loadBalancers()) {
            ObjectNode node = ConfigWriter.loadBalancer(lb);
            node.remove("listeners"); // their own kind
            out.putIfAbsent(lb.name(), node);
        }
        return out;
    }

    private static Map<String, ObjectNode> listeners(FulcrumConfig config) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (LoadBalancer lb : config.loadBalancers()) {
            for (Listener listener : lb.listeners()) {
                ObjectNode node = ConfigWriter.listener(listener);
                node.remove("rules");
                out.putIfAbsent(lb.name() + "/" + listener.port(), node);
            }
        }
        return out;
    }

    private static Map<String, ObjectNode> rules(FulcrumConfig config) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (LoadBalancer lb : config.loadBalancers()) {
            for (Listener listener : lb.listeners()) {
                for (Rule rule : listener.rules()) {
                    out.putIfAbsent(lb.name() + "/" + listener.port() + "/" + rule.priority(), ConfigWriter.rule(rule));
                }
            }
        }
        return out;
    }

    private static Map<String, ObjectNode> targetGroups(FulcrumConfig config) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (TargetGroup group : config.targetGroups()) {
            ObjectNode node = ConfigWriter.targetGroup(group);
            node.remove("targets");
            out.putIfAbsent(group.name(), node);
        }
        return out;
    }

    private static Map<String, ObjectNode> targets(FulcrumConfig config) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (TargetGroup group : config.targetGroups()) {
            for (Target target : group.targets()) {
                out.putIfAbsent(group.name() + "/" + target.address(), ConfigWriter.target(target));
            }
        }
        return out;
    }

    private static <T> Map<String, ObjectNode> byName(List<T> items, java.util.function.Function<T, String> name,
                                                      java.util.function.Function<T, ObjectNode> writer) {
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        for (T item : items) {
            out.putIfAbsent(name.apply(item), writer.apply(item));
        }
        return out;
    }
}
