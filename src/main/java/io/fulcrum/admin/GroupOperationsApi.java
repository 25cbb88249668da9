package io.fulcrum.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fulcrum.config.DidYouMean;
import io.fulcrum.config.Durations;
import io.fulcrum.control.DesiredState;
import io.fulcrum.model.AutoScalingGroup;
import io.fulcrum.model.ConfigProblem;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.scaling.AutoScaling;
import io.fulcrum.scaling.AutoScalingException;
import io.fulcrum.scaling.AutoScalingGroupController;
import io.fulcrum.scaling.InstanceDescription;
import io.fulcrum.scaling.InstanceRefresh;
import io.fulcrum.scaling.InstanceRefreshPreferences;
import io.fulcrum.scaling.LifecycleState;
import io.fulcrum.scaling.ProcessType;
import io.fulcrum.scaling.ScalingActivity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The operations on a running auto scaling group, by AWS's names: TerminateInstanceInAutoScalingGroup,
 * EnterStandby / ExitStandby, SetInstanceProtection, SuspendProcesses / ResumeProcesses and
 * Start / Cancel / Rollback / DescribeInstanceRefreshes. A change of the desired capacity they make
 * (a decrement, an exit from standby) is stored in the desired state too, as SetDesiredCapacity's is.
 */
final class GroupOperationsApi {
    /** A message of the controller that starts with the field it is about, like {@code instanceIds: …}. */
    private static final Pattern FIELD_PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9.\\[\\]]*: .*", Pattern.DOTALL);
    private static final List<String> PROCESS_NAMES = Arrays.stream(ProcessType.values()).map(Enum::name).toList();

    private final Writes writes;
    /** The live groups; null when the API runs without auto scaling. */
    private final AutoScaling autoScaling;

    GroupOperationsApi(Writes writes, AutoScaling autoScaling) {
        this.writes = writes;
        this.autoScaling = autoScaling;
    }

    void register(Router router) {
        String group = "/v1/auto-scaling-groups/{group}";
        router.add("POST", group + "/instances/{instance}/terminate", this::terminate)
                .add("POST", group + "/standby/enter", this::enterStandby)
                .add("POST", group + "/standby/exit", this::exitStandby)
                .add("POST", group + "/instance-protection", this::setInstanceProtection)
                .add("POST", group + "/suspend-processes", this::suspendProcesses)
                .add("POST", group + "/resume-processes", this::resumeProcesses)
                .add("GET", group + "/instance-refreshes", this::instanceRefreshes)
                .add("POST", group + "/instance-refreshes", this::startInstanceRefresh)
                .add("POST", group + "/instance-refreshes/cancel", this::cancelInstanceRefresh)
                .add("POST", group + "/instance-refreshes/rollback", this::rollbackInstanceRefresh);
    }

    // ---- instances

    /** AWS's TerminateInstanceInAutoScalingGroup; answers the termination activity. */
    private ApiResponse terminate(ApiRequest request) {
        String name = request.param("group");
        String id = request.param("instance");
        ObjectNode body = Json.parseObject(request.body(), "{\"shouldDecrementDesiredCapacity\": false}");
        boolean decrement = bool(body, "shouldDecrementDesiredCapacity", null);
        ScalingActivity[] activity = new ScalingActivity[1];
        DesiredState state = operate(request, name, "TerminateInstanceInAutoScalingGroup " + id, controller -> {
            requireInstances(controller, List.of(id));
            activity[0] = controller.terminateInstance(id, decrement);
        });
        return ApiResponse.ok(AutoScalingApi.activity(activity[0]), state.revision());
    }

    /** AWS's EnterStandby; answers {@code {activities}}, one per instance. */
    private ApiResponse enterStandby(ApiRequest request) {
        String name = request.param("group");
        ObjectNode body = Json.parseObject(request.body(),
                "{\"instanceIds\": [\"i-…\"], \"shouldDecrementDesiredCapacity\": false}");
        List<String> ids = instanceIds(body);
        boolean decrement = bool(body, "shouldDecrementDesiredCapacity", null);
        List<ScalingActivity> activities = new ArrayList<>();
        DesiredState state = operate(request, name, "EnterStandby " + String.join(" ", ids), controller -> {
            requireInstances(controller, ids);
            activities.addAll(controller.enterStandby(ids, decrement));
        });
        return ApiResponse.ok(activities(activities), state.revision());
    }

    /** AWS's ExitStandby; answers {@code {activities}}, one per instance. */
    private ApiResponse exitStandby(ApiRequest request) {
        String name = request.param("group");
        ObjectNode body = Json.parseObject(request.body(), "{\"instanceIds\": [\"i-…\"]}");
        List<String> ids = instanceIds(body);
        List<ScalingActivity> activities = new ArrayList<>();
        DesiredState state = operate(request, name, "ExitStandby " + String.join(" ", ids), controller -> {
            requireInstances(controller, ids);
            activities.addAll(controller.exitStandby(ids));
        });
        return ApiResponse.ok(activities(activities), state.revision());
    }

    /** AWS's SetInstanceProtection; answers the group's instances. */
    private ApiResponse setInstanceProtection(ApiRequest request) {
        String name = request.param("group");
        ObjectNode body = Json.parseObject(request.body(), "{\"instanceIds\": [\"i-…\"], \"protectedFromScaleIn\": true}");
        List<String> ids = instanceIds(body);
        boolean protect = bool(body, "protectedFromScaleIn", null);
        AutoScalingGroupController controller = live(name);
        requireInstances(controller, ids);
        run(() -> controller.setInstanceProtection(ids, protect));
        ObjectNode result = Json.object();
        result.set("instances", AutoScalingApi.instances(controller.instances()));
        return ApiResponse.ok(result, writes.controlPlane().current().revision());
    }

    // ---- processes

    /** AWS's SuspendProcesses: the named processes, or all when none is named. */
    private ApiResponse suspendProcesses(ApiRequest request) {
        AutoScalingGroupController controller = live(request.param("group"));
        Set<ProcessType> processes = processes(request.body());
        run(() -> controller.suspendProcesses(processes));
        return processesAnswer(controller);
    }

    /** AWS's ResumeProcesses: the named processes, or all when none is named. */
    private ApiResponse resumeProcesses(ApiRequest request) {
        AutoScalingGroupController controller = live(request.param("group"));
        Set<ProcessType> processes = processes(request.body());
        run(() -> controller.resumeProcesses(processes));
        return processesAnswer(controller);
    }

    private ApiResponse processesAnswer(AutoScalingGroupController controller) {
        ObjectNode result = Json.object();
        result.set("suspendedProcesses", suspendedProcesses(controller.suspendedProcesses()));
        return ApiResponse.ok(result, writes.controlPlane().current().revision());
    }

    /** AWS's SuspendedProcesses: {@code [{processName}]}, in AWS's order of the processes. */
    static ArrayNode suspendedProcesses(Set<ProcessType> suspended) {
        ArrayNode list = Json.array();
        for (ProcessType process : new TreeSet<>(suspended)) {
            list.addObject().put("processName", process.name());
        }
        return list;
    }

    /** {@code scalingProcesses} of the body; empty (all) when the body, the field or the list is absent or empty. */
    private static Set<ProcessType> processes(String text) {
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        ObjectNode body = Json.parseObject(text, "{\"scalingProcesses\": [\"Launch\", \"Terminate\"]}");
        JsonNode list = body.get("scalingProcesses");
        if (list == null || list.isNull()) {
            return Set.of();
        }
        if (!list.isArray()) {
            throw ApiException.invalid("scalingProcesses", Json.describe(list) + " (expected: a list of process names: "
                    + String.join(", ", PROCESS_NAMES) + ")");
        }
        Set<ProcessType> processes = EnumSet.noneOf(ProcessType.class);
        List<ConfigProblem> problems = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            String text1 = item.isTextual() ? item.textValue() : null;
            ProcessType process = text1 == null ? null : ProcessType.of(text1).orElse(null);
            if (process != null) {
                processes.add(process);
                continue;
            }
            String closest = text1 == null ? null : DidYouMean.closest(text1, PROCESS_NAMES);
            problems.add(new ConfigProblem("scalingProcesses[" + i + "]", Json.describe(item) + (closest != null
                    ? " (did you mean '" + closest + "'?)" : " (expected: one of " + String.join(", ", PROCESS_NAMES) + ")")));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return processes;
    }

    // ---- instance refreshes

    /** AWS's DescribeInstanceRefreshes, newest first. */
    private ApiResponse instanceRefreshes(ApiRequest request) {
        AutoScalingGroupController controller = live(request.param("group"));
        ArrayNode list = Json.array();
        controller.instanceRefreshes().forEach(refresh -> list.add(refresh(refresh)));
        ObjectNode result = Json.object();
        result.set("instanceRefreshes", list);
        return ApiResponse.ok(result, writes.controlPlane().current().revision());
    }

    /** AWS's StartInstanceRefresh: {@code {preferences: {minHealthyPercentage, instanceWarmup, autoRollback}}}. */
    private ApiResponse startInstanceRefresh(ApiRequest request) {
        AutoScalingGroupController controller = live(request.param("group"));
        InstanceRefreshPreferences preferences = preferences(request.body());
        InstanceRefresh started = call(() -> controller.startInstanceRefresh(preferences));
        return ApiResponse.created(refresh(started), writes.controlPlane().current().revision());
    }

    private ApiResponse cancelInstanceRefresh(ApiRequest request) {
        AutoScalingGroupController controller = live(request.param("group"));
        return ApiResponse.ok(refresh(call(controller::cancelInstanceRefresh)), writes.controlPlane().current().revision());
    }

    private ApiResponse rollbackInstanceRefresh(ApiRequest request) {
        AutoScalingGroupController controller = live(request.param("group"));
        return ApiResponse.ok(refresh(call(controller::rollbackInstanceRefresh)), writes.controlPlane().current().revision());
    }

    private static InstanceRefreshPreferences preferences(String text) {
        if (text == null || text.isBlank()) {
            return InstanceRefreshPreferences.DEFAULTS;
        }
        ObjectNode body = Json.parseObject(text, "{\"preferences\": {\"minHealthyPercentage\": 90, \"instanceWarmup\": 30,"
                + " \"autoRollback\": false}}");
        JsonNode node = body.get("preferences");
        if (node == null || node.isNull()) {
            return InstanceRefreshPreferences.DEFAULTS;
        }
        if (!node.isObject()) {
            throw ApiException.invalid("preferences", Json.describe(node)
                    + " (expected: {minHealthyPercentage, instanceWarmup, autoRollback})");
        }
        List<ConfigProblem> problems = new ArrayList<>();
        node.fieldNames().forEachRemaining(field -> {
            if (!List.of("minHealthyPercentage", "instanceWarmup", "autoRollback").contains(field)) {
                problems.add(new ConfigProblem("preferences." + field, "unknown (expected: minHealthyPercentage,"
                        + " instanceWarmup or autoRollback)"));
            }
        });
        int minHealthy = InstanceRefreshPreferences.DEFAULT_MIN_HEALTHY_PERCENTAGE;
        JsonNode percentage = node.get("minHealthyPercentage");
        if (percentage != null && !percentage.isNull()) {
            if (!percentage.isIntegralNumber() || percentage.asInt() < 0 || percentage.asInt() > 100) {
                problems.add(new ConfigProblem("preferences.minHealthyPercentage", Json.describe(percentage)
                        + " (expected: 0-100)"));
            } else {
                minHealthy = percentage.asInt();
            }
        }
        Duration warmup = null;
        JsonNode warmupNode = node.get("instanceWarmup");
        if (warmupNode != null && !warmupNode.isNull()) {
            // AWS gives seconds; a duration like 30s reads as in the config file
            warmup = warmupNode.isIntegralNumber() && warmupNode.asLong() >= 0 ? Duration.ofSeconds(warmupNode.asLong())
                    : warmupNode.isTextual() ? Durations.parse(warmupNode.textValue()) : null;
            if (warmup == null || warmup.isNegative()) {
                problems.add(new ConfigProblem("preferences.instanceWarmup", Json.describe(warmupNode)
                        + " (expected: seconds, 0 or more, or " + Durations.EXPECTED + ")"));
            }
        }
        boolean rollback = false;
        JsonNode rollbackNode = node.get("autoRollback");
        if (rollbackNode != null && !rollbackNode.isNull()) {
            if (!rollbackNode.isBoolean()) {
                problems.add(new ConfigProblem("preferences.autoRollback", Json.describe(rollbackNode)
                        + " (expected: true or false)"));
            } else {
                rollback = rollbackNode.booleanValue();
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return new InstanceRefreshPreferences(minHealthy, warmup, rollback);
    }

    /** An instance refresh as AWS's DescribeInstanceRefreshes shows it. */
    static ObjectNode refresh(InstanceRefresh refresh) {
        ObjectNode node = Json.object();
        node.put("instanceRefreshId", refresh.instanceRefreshId());
        node.put("autoScalingGroupName", refresh.groupName());
        node.put("status", refresh.status().name());
        if (refresh.statusReason() != null) {
            node.put("statusReason", refresh.statusReason());
        }
        node.put("startTime", refresh.startTime().toString());
        if (refresh.endTime() != null) {
            node.put("endTime", refresh.endTime().toString());
        }
        node.put("percentageComplete", refresh.percentageComplete());
        node.put("instancesToUpdate", refresh.instancesToUpdate());
        ObjectNode preferences = node.putObject("preferences");
        preferences.put("minHealthyPercentage", refresh.preferences().minHealthyPercentage());
        if (refresh.preferences().instanceWarmup() != null) {
            preferences.put("instanceWarmup", refresh.preferences().instanceWarmup().toSeconds());
        }
        preferences.put("autoRollback", refresh.preferences().autoRollback());
        node.putObject("desiredConfiguration").putObject("launchTemplate")
                .put("launchTemplateName", refresh.launchTemplateName())
                .put("version", String.valueOf(refresh.targetVersion()));
        return node;
    }

    // ---- helpers

    /** An operation on the live group that may change its desired capacity. */
    @FunctionalInterface
    private interface Operation {
        void run(AutoScalingGroupController controller);
    }

    /**
     * Runs {@code operation} on the live group inside a control-plane change (so a stale
     * {@code If-Match} refuses it before anything happens), then stores the group's desired capacity
     * when the operation moved it; no new revision otherwise.
     */
    private DesiredState operate(ApiRequest request, String name, String operationName, Operation operation) {
        try {
            return writes.change(request, operationName + " (" + name + ")", current -> {
                AutoScalingGroup group = AutoScalingApi.group(current, name);
                AutoScalingGroupController controller = live(name);
                int before = controller.spec().desiredCapacity();
                operation.run(controller);
                int after = controller.spec().desiredCapacity();
                if (after == before || after == group.desiredCapacity()
                        || after < group.minSize() || after > group.maxSize()) {
                    return current;
                }
                return AutoScalingApi.replace(current, group.withCapacity(group.minSize(), group.maxSize(), after));
            });
        } catch (AutoScalingException e) {
            throw error(e);
        }
    }

    /** The running group; 404 when the desired state has no such group. */
    private AutoScalingGroupController live(String name) {
        FulcrumConfig config = writes.controlPlane().current().config();
        AutoScalingApi.group(config, name);
        if (autoScaling == null) {
            throw ApiException.conflict(ErrorCodes.INVALID_CONFIGURATION_REQUEST,
                    "auto scaling is not running in this Fulcrum (expected: fulcrum run with auto scaling)");
        }
        return autoScaling.group(name).orElseThrow(() -> ApiException.conflict(
                io.fulcrum.scaling.AutoScalingErrorCode.ResourceContention.name(),
                "auto scaling group " + name + " is not running yet (expected: a retry in a moment)"));
    }

    /** 404 for an id the group does not have (or that is Terminated): EC2's InvalidInstanceID.NotFound. */
    private static void requireInstances(AutoScalingGroupController controller, List<String> ids) {
        List<String> known = controller.instances().stream()
                .filter(i -> i.lifecycleState() != LifecycleState.TERMINATED)
                .map(InstanceDescription::instanceId).toList();
        for (String id : ids) {
            if (!known.contains(id)) {
                throw ApiException.notFound(ErrorCodes.INSTANCE_NOT_FOUND, "instance " + id
                        + " is not an instance of auto scaling group " + controller.name() + " (its instances: "
                        + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
            }
        }
    }

    private static void run(Runnable operation) {
        call(() -> {
            operation.run();
            return null;
        });
    }

    private static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (AutoScalingException e) {
            throw error(e);
        }
    }

    /**
     * A refusal of the group as the API answers it: ValidationError and ActiveInstanceRefreshNotFound
     * are 400, as in AWS; the conflicts with what runs (ScalingActivityInProgress,
     * InstanceRefreshInProgress, ResourceContention) are 409.
     */
    static ApiException error(AutoScalingException e) {
        String message = e.getMessage();
        return switch (e.code()) {
            case ValidationError -> {
                if (FIELD_PREFIX.matcher(message).matches()) {
                    int colon = message.indexOf(": ");
                    yield ApiException.invalid(message.substring(0, colon), message.substring(colon + 2));
                }
                yield ApiException.invalid("(body)", message);
            }
            case ActiveInstanceRefreshNotFound -> new ApiException(400, e.code().name(), message);
            case ScalingActivityInProgress, InstanceRefreshInProgress, ResourceContention ->
                    ApiException.conflict(e.code().name(), message);
        };
    }

    private static ObjectNode activities(List<ScalingActivity> activities) {
        ObjectNode result = Json.object();
        ArrayNode list = result.putArray("activities");
        activities.forEach(activity -> list.add(AutoScalingApi.activity(activity)));
        return result;
    }

    /** {@code instanceIds}: a non-empty list of instance ids. */
    private static List<String> instanceIds(ObjectNode body) {
        JsonNode list = body.get("instanceIds");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw ApiException.invalid("instanceIds", (list == null ? "missing" : Json.describe(list))
                    + " (expected: a list of one or more instance ids like [\"i-0123456789abcdef0\"])");
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (!item.isTextual() || item.textValue().isBlank()) {
                throw ApiException.invalid("instanceIds[" + i + "]", Json.describe(item) + " (expected: an instance id)");
            }
            ids.add(item.textValue());
        }
        return ids;
    }

    /** A boolean field; required when {@code fallback} is null (as AWS requires ShouldDecrementDesiredCapacity). */
    private static boolean bool(ObjectNode body, String field, Boolean fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (fallback == null) {
                throw ApiException.invalid(field, "missing (expected: true or false)");
            }
            return fallback;
        }
        if (!value.isBoolean()) {
            throw ApiException.invalid(field, Json.describe(value) + " (expected: true or false)");
        }
        return value.booleanValue();
    }
}
