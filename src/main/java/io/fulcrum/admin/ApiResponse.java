package io.fulcrum.admin;

import com.fasterxml.jackson.databind.JsonNode;

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

    static ApiResponse noContent(long revision) {
        return new ApiResponse(204, null, null, null, revision);
    }

    static ApiResponse text(String text, String contentType) {
        return new ApiResponse(200, null, text, contentType, -1);
    }
}
