package io.fulcrum.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fulcrum.config.ConfigWriter;
import io.fulcrum.control.DesiredState;
import io.fulcrum.health.TargetHealth;
import io.fulcrum.model.Action;
import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.ForwardAction;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.Listener;
import io.fulcrum.model.LoadBalancer;
import io.fulcrum.model.Rule;
import io.fulcrum.model.Target;
import io.fulcrum.model.TargetGroup;
import io.fulcrum.proxy.LiveTarget;
import io.fulcrum.proxy.LiveTargetGroup;
import io.fulcrum.server.FulcrumServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Target groups, their targets (ELB's RegisterTargets, DeregisterTargets) and target health. */
final class TargetGroupApi {
    private static final String GROUP = "a target group {name, protocol, port, targetType, healthCheck, attributes}";
    private static final String TARGETS = "{\"targets\": [{\"id\": \"10.0.0.1\", \"port\": 8080}]}";

    private final Writes writes;
    /** The live server, for target health; null when the API runs without one. */
    private final FulcrumServer server;

    TargetGroupApi(Writes writes, FulcrumServer server) {
        this.writes = writes;
        this.server = server;
    }

    void register(Router router) {
        String group = "/v1/target-groups/{targetGroup}";
        router.add("GET", "/v1/target-groups", this::list)
                .add("POST", "/v1/target-groups", this::create)
                .add("GET", group, this::get)
                .add("PUT", group, this::replace)
                .add("DELETE", group, this::delete)
                .add("POST", group + "/targets/register", this::registerTargets)
                .add("POST", group + "/targets/deregister", this::deregisterTargets)
                .add("GET", group + "/health", this::health);
    }

    private ApiResponse list(ApiRequest request) {
        DesiredState state = writes.controlPlane().current();
        return ApiResponse.list("targetGroups", state.config().targetGroups(), ConfigWriter::targetGroup, state.revision());
    }

    private ApiResponse get(ApiRequest request) {
        DesiredState state = writes.controlPlane().current();
        return ApiResponse.ok(ConfigWriter.targetGroup(group(state.config(), request.param("targetGroup"))),
                state.revision());
    }

    private ApiResponse create(ApiRequest request) {
        ObjectNode body = Json.parseObject(request.body(), GROUP);
        boolean[] created = new boolean[1];
        String name = NamedLists.key(body, "name");
        DesiredState state = writes.edit(request, "CreateTargetGroup " + name, (document, current) ->
                NamedLists.create(document, current, Documents.array(document, "targetGroups"), "targetGroups",
                        "name", body, created, () -> ApiException.conflict(ErrorCodes.DUPLICATE_TARGET_GROUP_NAME,
                                "a target group named " + name + " exists, with other settings")));
        ObjectNode result = ConfigWriter.targetGroup(state.config().targetGroup(name));
        return ApiResponse.createdOrOk(created[0], result, state.revision());
    }

    /** Replaces a target group; its targets stay unless the body lists them. */
    private ApiResponse replace(ApiRequest request) {
        ObjectNode body = Json.parseObject(request.body(), GROUP);
        String name = request.param("targetGroup");
        DesiredState state = writes.edit(request, "ModifyTargetGroup " + name, (document, current) -> {
            ArrayNode groups = Documents.array(document, "targetGroups");
            int index = find(groups, name);
            Documents.requireKey(body, "name", name, false);
            Documents.keep(body, (ObjectNode) groups.get(index), "targets");
            groups.set(index, body);
            return "targetGroups[" + index + "]";
        });
        return ApiResponse.ok(ConfigWriter.targetGroup(state.config().targetGroup(name)), state.revision());
    }

    /** Refused with ResourceInUse while a listener or an auto scaling group uses the group, as in ELB. */
    private ApiResponse delete(ApiRequest request) {
        String name = request.param("targetGroup");
        DesiredState state = writes.edit(request, "DeleteTargetGroup " + name, (document, current) -> {
            ArrayNode groups = Documents.array(document, "targetGroups");
            int index = find(groups, name);
            List<String> users = users(current, name);
            if (!users.isEmpty()) {
                throw ApiException.conflict(ErrorCodes.RESOURCE_IN_USE, "target group " + name + " is currently in use by "
                        + String.join(", ", users) + " (expected: no listener or auto scaling group using it)");
            }
            groups.remove(index);
            return null;
        });
        return ApiResponse.noContent(state.revision());
    }

    /** Who uses a target group: "listener lb/80", "rule lb/80/10", "auto scaling group web-asg". */
    static List<String> users(FulcrumConfig config, String name) {
        List<String> users = new ArrayList<>();
        for (LoadBalancer lb : config.loadBalancers()) {
            for (Listener listener : lb.listeners()) {
                if (forwardsTo(listener.defaultActions(), name)) {
                    users.add("listener " + lb.name() + "/" + listener.port());
                }
                for (Rule rule : listener.rules()) {
                    if (forwardsTo(rule.actions(), name)) {
                        users.add("rule " + lb.name() + "/" + listener.port() + "/" + rule.priority());
                    }
                }
            }
        }
        for (AutoScalingGroup group : config.autoScalingGroups()) {
            if (group.targetGroupNames().contains(name)) {
                users.add("auto scaling group " + group.name());
            }
        }
        return users;
    }

    private static boolean forwardsTo(List<Action> actions, String name) {
        for (Action action : actions) {
            if (action instanceof ForwardAction forward
                    && forward.targetGroups().stream().anyMatch(w -> w.targetGroupName().equals(name))) {
                return true;
            }
        }
        return false;
    }

    /**
     * ELB's RegisterTargets: a target already registered stays (its weight updated when one is given);
     * registering the same targets twice changes nothing. A target's port defaults to the group's.
     */
    private ApiResponse registerTargets(ApiRequest request) {
        String name = request.param("targetGroup");
        JsonNode targetsNode = targetsOf(request);
        DesiredState state = writes.edit(request, "RegisterTargets " + name, (document, current) -> {
            ArrayNode groups = Documents.array(document, "targetGroups");
            int index = find(groups, name);
            List<Target> given = bindTargets(document, current, index, targetsNode);
            Map<String, ObjectNode> targets = new LinkedHashMap<>();
            for (JsonNode target : Documents.array((ObjectNode) groups.get(index), "targets")) {
                targets.put(address(target), (ObjectNode) target);
            }
            for (int i = 0; i < given.size(); i++) {
                Target target = given.get(i);
                ObjectNode existing = targets.get(target.address());
                boolean weightGiven = targetsNode.get(i).has("weight");
                if (existing == null) {
                    targets.put(target.address(), ConfigWriter.target(target));
                } else if (weightGiven) {
                    existing.put("weight", target.weight());
                }
            }
            ArrayNode list = ((ObjectNode) groups.get(index)).putArray("targets");
            targets.values().forEach(list::add);
            return null;
        });
        return ApiResponse.ok(targetsBody(state.config().targetGroup(name)), state.revision());
    }

    /**
     * ELB's DeregisterTargets: the targets drain with the group's deregistration delay; one not
     * registered is ignored. A target an auto scaling group registered is its group's to remove.
     */
    private ApiResponse deregisterTargets(ApiRequest request) {
        String name = request.param("targetGroup");
        JsonNode targetsNode = targetsOf(request);
        DesiredState state = writes.edit(request, "DeregisterTargets " + name, (document, current) -> {
            ArrayNode groups = Documents.array(document, "targetGroups");
            int index = find(groups, name);
            List<Target> given = bindTargets(document, current, index, targetsNode);
            ArrayNode list = Documents.array((ObjectNode) groups.get(index), "targets");
            for (Target target : given) {
                int at = -1;
                for (int i = 0; i < list.size(); i++) {
                    if (address(list.get(i)).equals(target.address())) {
                        at = i;
                    }
                }
                if (at >= 0) {
                    list.remove(at);
                }
            }
            return null;
        });
        return ApiResponse.ok(targetsBody(state.config().targetGroup(name)), state.revision());
    }

    private static JsonNode targetsOf(ApiRequest request) {
        ObjectNode body = Json.parseObject(request.body(), TARGETS);
        JsonNode targets = body.get("targets");
        if (targets == null || !targets.isArray() || targets.isEmpty()) {
            throw ApiException.invalid("targets", (targets == null ? "missing" : Json.describe(targets))
                    + " (expected: a non-empty list of {id, port})");
        }
        body.fieldNames().forEachRemaining(field -> {
            if (!field.equals("targets")) {
                throw ApiException.invalid(field, "unknown field (expected: targets)");
            }
        });
        return targets;
    }

    /**
     * Binds the body's targets as the group's only targets in a scratch copy of the state, so each is
     * checked as in a config file and problems read {@code targets[1].port}.
     */
    private static List<Target> bindTargets(ObjectNode document, FulcrumConfig current, int index, JsonNode targets) {
        ObjectNode group = ((ObjectNode) document.get("targetGroups").get(index)).deepCopy();
        if (group.path("targetType").asText().equals("instance")) {
            throw new ApiException(400, ErrorCodes.INVALID_TARGET, "target group " + group.path("name").asText()
                    + " has targetType instance: its targets are its auto scaling groups' instances"
                    + " (expected: set a group's desired capacity, or a target group of targetType ip)");
        }
        group.set("targets", targets.deepCopy());
        ObjectNode scratch = Json.object();
        scratch.putArray("targetGroups").add(group);
        FulcrumConfig bound = Documents.bind(scratch, "targetGroups[0]");
        return bound.targetGroups().get(0).targets();
    }

    private static String address(JsonNode target) {
        return new Target(target.get("id").asText(), target.get("port").asInt(), 1).address();
    }

    private static ObjectNode targetsBody(TargetGroup group) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("targets");
        group.targets().forEach(target -> list.add(ConfigWriter.target(target)));
        return body;
    }

    /**
     * ELB's DescribeTargetHealth: every registered target (those of the config and those auto scaling
     * registered) with its state, reason and description.
     */
    private ApiResponse health(ApiRequest request) {
        DesiredState state = writes.controlPlane().current();
        TargetGroup spec = group(state.config(), request.param("targetGroup"));
        ArrayNode descriptions = Json.array();
        LiveTargetGroup live = server == null ? null : server.targetGroup(spec.name());
        if (live != null) {
            for (LiveTarget target : live.targets()) {
                describe(descriptions, spec, target.address().getHostString(), target.address().getPort(),
                        target.health());
            }
        } else {
            for (Target target : spec.targets()) {
                describe(descriptions, spec, target.id(), target.port(), null);
            }
        }
        ObjectNode body = Json.object();
        body.set("targetHealthDescriptions", descriptions);
        return ApiResponse.ok(body, state.revision());
    }

    private static void describe(ArrayNode out, TargetGroup spec, String id, int port, TargetHealth health) {
        ObjectNode node = out.addObject();
        node.putObject("target").put("id", id).put("port", port);
        node.put("healthCheckPort", String.valueOf(spec.healthCheck().portFor(port)));
        ObjectNode healthNode = node.putObject("targetHealth");
        if (health == null) {
            healthNode.put("state", "initial"); // not served yet
            return;
        }
        var status = health.status();
        healthNode.put("state", status.state().configName());
        if (status.reason() != null) {
            healthNode.put("reason", status.reason());
        }
        if (status.description() != null) {
            healthNode.put("description", status.description());
        }
    }

    private static TargetGroup group(FulcrumConfig config, String name) {
        TargetGroup group = config.targetGroup(name);
        if (group == null) {
            throw notFound(name);
        }
        return group;
    }

    private static int find(ArrayNode groups, String name) {
        return NamedLists.find(groups, "name", name, () -> notFound(name));
    }

    private static ApiException notFound(String name) {
        return ApiException.notFound(ErrorCodes.TARGET_GROUP_NOT_FOUND, "no target group named " + name);
    }
}
