package io.fulcrum.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fulcrum.config.ConfigWriter;
import io.fulcrum.control.DesiredState;
import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.scaling.ActivityStatus;
import io.fulcrum.scaling.AutoScaling;
import io.fulcrum.scaling.AutoScalingException;
import io.fulcrum.scaling.AutoScalingGroupController;
import io.fulcrum.scaling.AutoScalingGroupDescription;
import io.fulcrum.scaling.InstanceDescription;
import io.fulcrum.scaling.LifecycleState;
import io.fulcrum.scaling.PolicyStatus;
import io.fulcrum.scaling.ScalingActivity;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** Auto scaling groups (AWS's CreateAutoScalingGroup, UpdateAutoScalingGroup, SetDesiredCapacity, …) and launch templates. */
final class AutoScalingApi {
    private static final String GROUP = "an auto scaling group {name, launchTemplateName, minSize, maxSize,"
            + " desiredCapacity, zones, targetGroupNames}";
    private static final String TEMPLATE = "a launch template {name, command, environment, workingDirectory}";

    private final Writes writes;
    /** The live groups; null when the API runs without auto scaling. */
    private final AutoScaling autoScaling;

    AutoScalingApi(Writes writes, AutoScaling autoScaling) {
        this.writes = writes;
        this.autoScaling = autoScaling;
    }

    void register(Router router) {
        String group = "/v1/auto-scaling-groups/{group}";
        String template = "/v1/launch-templates/{launchTemplate}";
        router.add("GET", "/v1/auto-scaling-groups", this::list)
                .add("POST", "/v1/auto-scaling-groups", this::create)
                .add("GET", group, this::get)
                .add("PUT", group, this::update)
                .add("DELETE", group, this::delete)
                .add("POST", group + "/desired-capacity", this::setDesiredCapacity)
                .add("GET", group + "/activities", this::activities)
                .add("GET", group + "/instances", this::instances)
                .add("GET", "/v1/launch-templates", this::listTemplates)
                .add("POST", "/v1/launch-templates", this::createTemplate)
                .add("GET", template, this::getTemplate)
                .add("PUT", template, this::replaceTemplate)
                .add("DELETE", template, this::deleteTemplate);
    }

    // ---- auto scaling groups

    private ApiResponse list(ApiRequest request) {
        DesiredState state = writes.controlPlane().current();
        ObjectNode body = Json.object();
        ArrayNode groups = body.putArray("autoScalingGroups");
        for (AutoScalingGroup group : state.config().autoScalingGroups()) {
            groups.add(describe(group));
        }
        return ApiResponse.ok(body, state.revision());
    }

    private ApiResponse get(ApiRequest request) {
        DesiredState state = writes.controlPlane().current();
        return ApiResponse.ok(describe(group(state.config(), request.param("group"))), state.revision());
    }

    /**
     * The stored group with what runs: {@code liveDesiredCapacity} (scaling policies move it without
     * a new revision) and its instances.
     */
    private ObjectNode describe(AutoScalingGroup group) {
        ObjectNode node = ConfigWriter.autoScalingGroup(group);
        Optional<AutoScalingGroupController> live = controller(group.name());
        live.ifPresent(controller -> {
            AutoScalingGroupDescription now = controller.describe();
            node.put("liveDesiredCapacity", now.desiredCapacity());
            node.put("liveMinSize", now.minSize());
            node.put("liveMaxSize", now.maxSize());
            node.put("launchingVersion", now.launchingVersion());
            node.set("instances", instances(now.instances()));
            node.set("suspendedProcesses", GroupOperationsApi.suspendedProcesses(now.suspendedProcesses()));
            ArrayNode statuses = node.putArray("policyStatuses");
            for (PolicyStatus status : now.policies()) {
                ObjectNode item = statuses.addObject();
                item.put("policyName", status.policyName());
                item.put("policyType", status.policyType().name());
                if (status.alarmName() != null) {
                    item.put("alarmName", status.alarmName());
                }
                if (!Double.isNaN(status.lastMetric())) {
                    item.put("lastMetric", status.lastMetric());
                }
                item.put("inAlarm", status.inAlarm());
                if (status.evaluatedAt() != null) {
                    item.put("evaluatedAt", status.evaluatedAt().toString());
                }
            }
        });
        return node;
    }

    private ApiResponse create(ApiRequest request) {
        ObjectNode body = Json.parseObject(request.body(), GROUP);
        boolean[] created = new boolean[1];
        String name = NamedLists.key(body, "name");
        DesiredState state = writes.edit(request, "CreateAutoScalingGroup " + name, (document, current) ->
                NamedLists.create(document, current, Documents.array(document, "autoScalingGroups"),
                        "autoScalingGroups", "name", body, created, () -> ApiException.conflict(ErrorCodes.ALREADY_EXISTS,
                                "an auto scaling group named " + name + " exists, with other settings")));
        ObjectNode result = describe(state.config().autoScalingGroup(name));
        return ApiResponse.createdOrOk(created[0], result, state.revision());
    }

    /** AWS's UpdateAutoScalingGroup: only the fields the body gives change (objects are merged, lists replaced). */
    private ApiResponse update(ApiRequest request) {
        ObjectNode body = Json.parseObject(request.body(), GROUP);
        String name = request.param("group");
        DesiredState state = writes.edit(request, "UpdateAutoScalingGroup " + name, (document, current) -> {
            ArrayNode groups = Documents.array(document, "autoScalingGroups");
            int index = findGroup(groups, name);
            Documents.requireKey(body, "name", name, false);
            ObjectNode merged = ((ObjectNode) groups.get(index)).deepCopy();
            merge(merged, body);
            groups.set(index, merged);
            return "autoScalingGroups[" + index + "]";
        });
        return ApiResponse.ok(describe(state.config().autoScalingGroup(name)), state.revision());
    }

    private static void merge(ObjectNode target, ObjectNode patch) {
        for (Iterator<String> it = patch.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            JsonNode value = patch.get(field);
            if (value.isObject() && target.get(field) instanceof ObjectNode existing) {
                merge(existing, (ObjectNode) value);
            } else {
                target.set(field, value);
            }
        }
    }

    /**
     * AWS's DeleteAutoScalingGroup: refused with ResourceInUse while the group has instances, unless
     * {@code ?forceDelete=true}, which drains and terminates them.
     */
    private ApiResponse delete(ApiRequest request) {
        String name = request.param("group");
        boolean force = request.flag("forceDelete");
        DesiredState state = writes.edit(request, "DeleteAutoScalingGroup " + name, (document, current) -> {
            ArrayNode groups = Documents.array(document, "autoScalingGroups");
            int index = findGroup(groups, name);
            long running = controller(name).map(c -> c.instances().stream()
                    .filter(i -> i.lifecycleState() != LifecycleState.TERMINATED).count()).orElse(0L);
            if (running > 0 && !force) {
                throw ApiException.conflict(ErrorCodes.RESOURCE_IN_USE, "auto scaling group " + name + " has "
                        + running + " instance(s) (expected: none; set its capacity to 0 first, or delete with"
                        + " ?forceDelete=true)");
            }
            groups.remove(index);
            return null;
        });
        return ApiResponse.noContent(state.revision());
    }

    /**
     * AWS's SetDesiredCapacity: the live group moves at once, and the value is stored in the desired
     * state so that a restart keeps it. With {@code honorCooldown}, refused with 409
     * ScalingActivityInProgress while an activity runs or the group's defaultCooldown has not passed.
     */
    private ApiResponse setDesiredCapacity(ApiRequest request) {
        String name = request.param("group");
        ObjectNode body = Json.parseObject(request.body(), "{\"desiredCapacity\": 2}");
        JsonNode value = body.get("desiredCapacity");
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()) {
            throw ApiException.invalid("desiredCapacity", (value == null ? "missing" : Json.describe(value))
                    + " (expected: a number of instances)");
        }
        JsonNode honor = body.get("honorCooldown");
        if (honor != null && !honor.isBoolean()) {
            throw ApiException.invalid("honorCooldown", Json.describe(honor) + " (expected: true or false)");
        }
        int desired = value.asInt();
        boolean honorCooldown = honor != null && honor.booleanValue();
        DesiredState state;
        try {
            state = writes.change(request, "SetDesiredCapacity " + name + " " + desired, current -> {
                AutoScalingGroup group = group(current, name);
                if (desired < group.minSize() || desired > group.maxSize()) {
                    throw ApiException.invalid("desiredCapacity", desired + " (expected: " + group.minSize() + "-"
                            + group.maxSize() + ", between the group's minSize and maxSize)");
                }
                // the live group first, so its activity gives AWS's cause ("a user request explicitly set …")
                controller(name).ifPresent(controller -> controller.setDesiredCapacity(desired, honorCooldown));
                return replace(current, group.withCapacity(group.minSize(), group.maxSize(), desired));
            });
        } catch (AutoScalingException e) {
            throw GroupOperationsApi.error(e);
        }
        return ApiResponse.ok(describe(state.config().autoScalingGroup(name)), state.revision());
    }

    static FulcrumConfig replace(FulcrumConfig config, AutoScalingGroup group) {
        List<AutoScalingGroup> groups = config.autoScalingGroups().stream()
                .map(g -> g.name().equals(group.name()) ? group : g).toList();
        return new FulcrumConfig(config.loadBalancers(), config.targetGroups(), config.launchTemplates(), groups);
    }

    /** AWS's DescribeScalingActivities, newest first. */
    private ApiResponse activities(ApiRequest request) {
        DesiredState state = writes.controlPlane().current();
        String name = group(state.config(), request.param("group")).name();
        ArrayNode list = Json.array();
        for (ScalingActivity activity : controller(name).map(AutoScalingGroupController::activities).orElse(List.of())) {
            list.add(activity(activity));
        }
        ObjectNode body = Json.object();
        body.set("activities", list);
        return ApiResponse.ok(body, state.revision());
    }

    /** One scaling activity as AWS's DescribeScalingActivities shows it. */
    static ObjectNode activity(ScalingActivity activity) {
        ObjectNode node = Json.object();
        node.put("activityId", activity.activityId());
        node.put("autoScalingGroupName", activity.groupName());
        node.put("description", activity.description());
        node.put("cause", activity.cause());
        node.put("startTime", activity.startTime().toString());
        if (activity.endTime() != null) {
            node.put("endTime", activity.endTime().toString());
        }
        node.put("statusCode", activity.status().awsName());
        if (activity.statusMessage() != null) {
            node.put("statusMessage", activity.statusMessage());
        }
        node.put("progress", activity.status() == ActivityStatus.IN_PROGRESS ? 50 : 100);
        return node;
    }

    /** AWS's DescribeAutoScalingInstances for one group. */
    private ApiResponse instances(ApiRequest request) {
        DesiredState state = writes.controlPlane().current();
        String name = group(state.config(), request.param("group")).name();
        ObjectNode body = Json.object();
        body.set("instances", instances(controller(name).map(AutoScalingGroupController::instances).orElse(List.of())));
        return ApiResponse.ok(body, state.revision());
    }

    /** Instances as AWS's DescribeAutoScalingInstances shows them. */
    static ArrayNode instances(List<InstanceDescription> instances) {
        ArrayNode list = Json.array();
        for (InstanceDescription instance : instances) {
            ObjectNode node = list.addObject();
            node.put("instanceId", instance.instanceId());
            node.put("autoScalingGroupName", instance.groupName());
            node.put("availabilityZone", instance.zone());
            node.put("lifecycleState", instance.lifecycleState().awsName());
            node.put("healthStatus", instance.healthStatus());
            node.put("protectedFromScaleIn", instance.protectedFromScaleIn());
            node.put("port", instance.port());
            node.put("launchTime", instance.launchTime().toString());
            node.putObject("launchTemplate")
                    .put("launchTemplateName", instance.launchTemplateName())
                    .put("version", String.valueOf(instance.launchTemplateVersion()));
        }
        return list;
    }

    private Optional<AutoScalingGroupController> controller(String name) {
        return autoScaling == null ? Optional.empty() : autoScaling.group(name);
    }

    /** The group of the desired state, or 404 AutoScalingGroupNotFound. */
    static AutoScalingGroup group(FulcrumConfig config, String name) {
        AutoScalingGroup group = config.autoScalingGroup(name);
        if (group == null) {
            throw groupNotFound(name);
        }
        return group;
    }

    private static int findGroup(ArrayNode groups, String name) {
        return NamedLists.find(groups, "name", name, () -> groupNotFound(name));
    }

    static ApiException groupNotFound(String name) {
        return ApiException.notFound(ErrorCodes.AUTO_SCALING_GROUP_NOT_FOUND, "no auto scaling group named " + name);
    }

    // ---- launch templates

    private ApiResponse listTemplates(ApiRequest request) {
        DesiredState state = writes.controlPlane().current();
        return ApiResponse.list("launchTemplates", state.config().launchTemplates(), ConfigWriter::launchTemplate, state.revision());
    }

    private ApiResponse getTemplate(ApiRequest request) {
        DesiredState state = writes.controlPlane().current();
        return ApiResponse.ok(ConfigWriter.launchTemplate(template(state.config(), request.param("launchTemplate"))),
                state.revision());
    }

    private ApiResponse createTemplate(ApiRequest request) {
        ObjectNode body = Json.parseObject(request.body(), TEMPLATE);
        boolean[] created = new boolean[1];
        String name = NamedLists.key(body, "name");
        DesiredState state = writes.edit(request, "CreateLaunchTemplate " + name, (document, current) ->
                NamedLists.create(document, current, Documents.array(document, "launchTemplates"), "launchTemplates",
                        "name", body, created, () -> ApiException.conflict(ErrorCodes.LAUNCH_TEMPLATE_ALREADY_EXISTS,
                                "a launch template named " + name + " exists, with other settings")));
        ObjectNode result = ConfigWriter.launchTemplate(state.config().launchTemplate(name));
        return ApiResponse.createdOrOk(created[0], result, state.revision());
    }

    /** Replaces a launch template; groups launch their next instances from the new definition. */
    private ApiResponse replaceTemplate(ApiRequest request) {
        ObjectNode body = Json.parseObject(request.body(), TEMPLATE);
        String name = request.param("launchTemplate");
        DesiredState state = writes.edit(request, "ModifyLaunchTemplate " + name, (document, current) -> {
            ArrayNode templates = Documents.array(document, "launchTemplates");
            int index = NamedLists.find(templates, "name", name, () -> templateNotFound(name));
            Documents.requireKey(body, "name", name, false);
            templates.set(index, body);
            return "launchTemplates[" + index + "]";
        });
        return ApiResponse.ok(ConfigWriter.launchTemplate(state.config().launchTemplate(name)), state.revision());
    }

    private ApiResponse deleteTemplate(ApiRequest request) {
        String name = request.param("launchTemplate");
        DesiredState state = writes.edit(request, "DeleteLaunchTemplate " + name, (document, current) -> {
            ArrayNode templates = Documents.array(document, "launchTemplates");
            int index = NamedLists.find(templates, "name", name, () -> templateNotFound(name));
            List<String> users = current.autoScalingGroups().stream()
                    .filter(g -> g.launchTemplateName().equals(name)).map(AutoScalingGroup::name).toList();
            if (!users.isEmpty()) {
                throw ApiException.conflict(ErrorCodes.RESOURCE_IN_USE, "launch template " + name
                        + " is used by auto scaling group " + String.join(", ", users));
            }
            templates.remove(index);
            return null;
        });
        return ApiResponse.noContent(state.revision());
    }

    private static io.fulcrum.model.LaunchTemplate template(FulcrumConfig config, String name) {
        io.fulcrum.model.LaunchTemplate template = config.launchTemplate(name);
        if (template == null) {
            throw templateNotFound(name);
        }
        return template;
    }

    private static ApiException templateNotFound(String name) {
        return ApiException.notFound(ErrorCodes.LAUNCH_TEMPLATE_NOT_FOUND, "no launch template named " + name);
    }
}
