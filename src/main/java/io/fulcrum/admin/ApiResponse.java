package io.fulcrum.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Function;

/**
 * What a route answers: a status and a JSON body, or a text body with its content type.
 *
 * @param json the body as JSON, or null (then {@code text})
 * @param text the body as text, or null; no body when both are null
 * @param revision the desired state's revision after the request, sent as {@code ETag}; -1 for none
 */
record ApiResponse(int status, JsonNode json, String text, String contentType, long revision) {
    static ApiResponse ok(JsonNode json, long revision) {
        return new ApiResponse(200, json, null, null, revision);
    }

    static ApiResponse created(JsonNode json, long revision) {
        return new ApiResponse(201, json, null, null, revision);
    }

    /** A create call's answer: 201 when it added the resource, 200 when the same one was there (as AWS). */
    static ApiResponse createdOrOk(boolean created, JsonNode json, long revision) {
        return created ? created(json, revision) : ok(json, revision);
    }

    /** A list call's answer, {@code {"<key>": [...]}}, each item as the config file writes it. */
    static <T> ApiResponse list(String key, List<T> items, Function<T, ? extends JsonNode> writer, long revision) {
        ObjectNode body = Json.object();
        ArrayNode array = body.putArray(key);
        items.forEach(item -> array.add(writer.apply(item)));
        return ok(body, revision);
    }

    static ApiResponse noContent(long revision) {
        return new ApiResponse(204, null, null, null, revision);
    }

    static ApiResponse text(String text, String contentType) {
        return new ApiResponse(200, null, text, contentType, -1);
    }
}
