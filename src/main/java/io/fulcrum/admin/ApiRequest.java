package io.fulcrum.admin;

import java.util.List;
import java.util.Map;

/**
 * One admin request, decoded off the event loop's buffers.
 *
 * @param params the path's {@code {name}} segments, decoded
 * @param query the query string's parameters (first value of each)
 * @param ifMatch the {@code If-Match} header, or null
 * @param cause the {@code X-Fulcrum-Cause} header, or null: recorded with the revision a write makes
 */
record ApiRequest(String method, String path, Map<String, String> params, Map<String, String> query, String body,
                  String ifMatch, String cause) {
    String param(String name) {
        return params.get(name);
    }

    /** A path parameter that must be an integer (a port, a priority, a revision). */
    int intParam(String name) {
        String value = params.get(name);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, '"' + value + "\" (expected: a number)");
        }
    }

    long longParam(String name) {
        String value = params.get(name);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, '"' + value + "\" (expected: a number)");
        }
    }

    boolean flag(String name) {
        String value = query.get(name);
        return value != null && List.of("", "true", "1").contains(value);
    }
}
