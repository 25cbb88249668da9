package io.fulcrum.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fulcrum.config.ConfigLoader;
import io.fulcrum.config.ConfigWriter;
import io.fulcrum.control.DesiredState;
import io.fulcrum.control.RevisionInfo;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.InvalidConfigException;

/** The whole desired state: read, replace, diff, revisions and rollback. */
final class StateApi {
    private final Writes writes;

    StateApi(Writes writes) {
        this.writes = writes;
    }

    void register(Router router) {
        router.add("GET", "/v1/state", this::get)
                .add("PUT", "/v1/state", this::put)
                .add("POST", "/v1/state/diff", this::diff)
                .add("GET", "/v1/revisions", this::revisions)
                .add("GET", "/v1/revisions/{revision}", this::revision)
                .add("POST", "/v1/revisions/{revision}/rollback", this::rollback);
    }

    /** {revision, time, cause, config}. */
    static ObjectNode state(DesiredState state) {
        ObjectNode node = revision(new RevisionInfo(state.revision(), state.time(), state.cause()));
        node.set("config", ConfigWriter.toTree(state.config()));
        return node;
    }

    /** {revision, time, cause}. */
    private static ObjectNode revision(RevisionInfo info) {
        ObjectNode node = Json.object();
        node.put("revision", info.revision());
        node.put("time", info.time().toString());
        node.put("cause", info.cause());
        return node;
    }

    private ApiResponse get(ApiRequest request) {
        DesiredState state = writes.controlPlane().current();
        return ApiResponse.ok(state(state), state.revision());
    }

    private ApiResponse put(ApiRequest request) {
        FulcrumConfig next = parseWhole(request.body());
        DesiredState state = writes.declare(request, "PutState", next);
        return ApiResponse.ok(state(state), state.revision());
    }

    private ApiResponse diff(ApiRequest request) {
        FulcrumConfig proposed = parseWhole(request.body());
        DesiredState current = writes.controlPlane().current();
        ArrayNode changes = Json.array();
        // compared with what applying it would make, so a group's live desired capacity is no false difference
        FulcrumConfig result = writes.controlPlane().preview(proposed);
        for (StateDiff.Change change : StateDiff.between(current.config(), result)) {
            ObjectNode node = changes.addObject();
            node.put("action", change.action());
            node.put("kind", change.kind());
            node.put("name", change.name());
            ArrayNode fields = node.putArray("fields");
            change.fields().forEach(fields::add);
        }
        ObjectNode body = Json.object();
        body.put("revision", current.revision());
        body.set("changes", changes);
        return ApiResponse.ok(body, current.revision());
    }

    /** The kept revisions' numbers, times and causes: listed from the store, no state is parsed. */
    private ApiResponse revisions(ApiRequest request) {
        ArrayNode list = Json.array();
        for (RevisionInfo info : writes.controlPlane().revisions()) {
            list.add(revision(info));
        }
        return ApiResponse.ok(list, writes.controlPlane().current().revision());
    }

    private ApiResponse revision(ApiRequest request) throws InvalidConfigException {
        long revision = request.longParam("revision");
        DesiredState state = writes.controlPlane().revision(revision).orElseThrow(() -> notKept(revision));
        return ApiResponse.ok(state(state), writes.controlPlane().current().revision());
    }

    private ApiResponse rollback(ApiRequest request) throws InvalidConfigException {
        long revision = request.longParam("revision");
        FulcrumConfig old = writes.controlPlane().revision(revision).orElseThrow(() -> notKept(revision)).config();
        DesiredState state = writes.change(request, "Rollback to revision " + revision, current -> old);
        return ApiResponse.ok(state(state), state.revision());
    }

    private static ApiException notKept(long revision) {
        return ApiException.notFound(ErrorCodes.REVISION_NOT_FOUND, "revision " + revision
                + " is not kept (expected: one of GET /v1/revisions)");
    }

    /** A whole config in the request body, bound and validated as a config file (YAML or JSON). */
    private static FulcrumConfig parseWhole(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.invalid("(body)", "empty (expected: a whole config, JSON or YAML)");
        }
        try {
            return ConfigLoader.parse(body);
        } catch (InvalidConfigException e) {
            throw ApiException.invalid(e.problems());
        }
    }
}
