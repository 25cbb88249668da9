package io.fulcrum.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fulcrum.config.ConfigWriter;
import io.fulcrum.control.DesiredState;

/**
 * A group's scaling policies and scheduled actions as sub-resources (AWS's PutScalingPolicy,
 * DescribePolicies, DeletePolicy; PutScheduledUpdateGroupAction, DescribeScheduledActions,
 * DeleteScheduledAction), stored in the desired state: a body is bound and validated as the same
 * entry under the group's {@code policies} or {@code scheduledActions} in a config file.
 */
final class ScalingPoliciesApi {
    /**
     * One kind of a group's named children.
     *
     * @param segment the URL's segment after the group
     * @param field the group's field in the config file
     * @param listName the list's name in a GET of all of them (AWS's)
     * @param param the path parameter naming one
     * @param expected what a body is, for error messages
     */
    private record Kind(String segment, String field, String listName, String param, String notFoundCode,
                        String noun, String putOperation, String deleteOperation, String expected) {
    }

    private static final Kind POLICIES = new Kind("policies", "policies", "scalingPolicies", "policy",
            ErrorCodes.POLICY_NOT_FOUND, "scaling policy", "PutScalingPolicy", "DeletePolicy",
            "a scaling policy {name, type, targetTracking | alarm, adjustmentType, stepAdjustments | scalingAdjustment}");
    private static final Kind SCHEDULED_ACTIONS = new Kind("scheduled-actions", "scheduledActions",
            "scheduledUpdateGroupActions", "action", ErrorCodes.SCHEDULED_ACTION_NOT_FOUND, "scheduled action",
            "PutScheduledUpdateGroupAction", "DeleteScheduledAction",
            "a scheduled action {name, recurrence, timeZone, startTime, endTime, minSize, maxSize, desiredCapacity}");

    private final Writes writes;

    ScalingPoliciesApi(Writes writes) {
        this.writes = writes;
    }

    void register(Router router) {
        for (Kind kind : new Kind[] {POLICIES, SCHEDULED_ACTIONS}) {
            String list = "/v1/auto-scaling-groups/{group}/" + kind.segment();
            String one = list + "/{" + kind.param() + "}";
            router.add("GET", list, request -> list(request, kind))
                    .add("GET", one, request -> get(request, kind))
                    .add("PUT", one, request -> put(request, kind))
                    .add("DELETE", one, request -> delete(request, kind));
        }
    }

    private ApiResponse list(ApiRequest request, Kind kind) {
        DesiredState state = writes.controlPlane().current();
        Found group = group(ConfigWriter.toTree(state.config()), request.param("group"));
        ObjectNode body = Json.object();
        body.set(kind.listName(), Documents.array(group.node(), kind.field()));
        return ApiResponse.ok(body, state.revision());
    }

    private ApiResponse get(ApiRequest request, Kind kind) {
        DesiredState state = writes.controlPlane().current();
        return ApiResponse.ok(child(ConfigWriter.toTree(state.config()), request, kind).node(), state.revision());
    }

    /** Creates or replaces the named entry (201 when it is new); the body's name, if given, must be the URL's. */
    private ApiResponse put(ApiRequest request, Kind kind) {
        ObjectNode body = Json.parseObject(request.body(), kind.expected());
        String name = request.param(kind.param());
        String groupName = request.param("group");
        boolean[] created = new boolean[1];
        DesiredState state = writes.edit(request, kind.putOperation() + " " + groupName + "/" + name,
                (document, current) -> {
                    Found group = group(document, groupName);
                    Documents.requireKey(body, "name", name, false);
                    ArrayNode children = Documents.array(group.node(), kind.field());
                    int index = Documents.indexOf(children, "name", name);
                    if (index < 0) {
                        children.add(body);
                        index = children.size() - 1;
                        created[0] = true;
                    } else {
                        children.set(index, body);
                    }
                    return group.path() + "." + kind.field() + "[" + index + "]";
                });
        JsonNode result = child(ConfigWriter.toTree(state.config()), request, kind).node();
        return ApiResponse.createdOrOk(created[0], result, state.revision());
    }

    private ApiResponse delete(ApiRequest request, Kind kind) {
        String groupName = request.param("group");
        DesiredState state = writes.edit(request, kind.deleteOperation() + " " + groupName + "/"
                + request.param(kind.param()), (document, current) -> {
                    Found child = child(document, request, kind);
                    child.array().remove(child.index());
                    return null;
                });
        return ApiResponse.noContent(state.revision());
    }

    // ---- finding

    /** An element found in the state's tree: its list, index and path. */
    private record Found(ArrayNode array, int index, String path) {
        ObjectNode node() {
            return (ObjectNode) array.get(index);
        }
    }

    private static Found group(ObjectNode document, String name) {
        ArrayNode groups = Documents.array(document, "autoScalingGroups");
        int index = NamedLists.find(groups, "name", name, () -> AutoScalingApi.groupNotFound(name));
        return new Found(groups, index, "autoScalingGroups[" + index + "]");
    }

    private static Found child(ObjectNode document, ApiRequest request, Kind kind) {
        String groupName = request.param("group");
        Found group = group(document, groupName);
        String name = request.param(kind.param());
        ArrayNode children = Documents.array(group.node(), kind.field());
        int index = NamedLists.find(children, "name", name, () -> ApiException.notFound(kind.notFoundCode(),
                "auto scaling group " + groupName + " has no " + kind.noun() + " named " + name));
        return new Found(children, index, group.path() + "." + kind.field() + "[" + index + "]");
    }
}
