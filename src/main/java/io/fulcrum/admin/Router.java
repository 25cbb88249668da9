package io.fulcrum.admin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps a method and a path such as {@code /v1/target-groups/{name}} to the code that answers it. */
final class Router {
    /** The code of one route. */
    @FunctionalInterface
    interface Handler {
        ApiResponse handle(ApiRequest request) throws Exception;
    }

    /**
     * One route.
     *
     * @param template the path with {@code {name}} segments, as the OpenAPI document writes it
     * @param authenticated false for the few routes anyone on the admin listener may call
     */
    record Route(String method, String template, boolean authenticated, Handler handler) {
        String[] segments() {
            return template.substring(1).split("/", -1);
        }
    }

    /** A route found for a request, with its path parameters. */
    record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String template, Handler handler) {
        routes.add(new Route(method, template, true, handler));
        return this;
    }

    Router addOpen(String method, String template, Handler handler) {
        routes.add(new Route(method, template, false, handler));
        return this;
    }

    List<Route> routes() {
        return List.copyOf(routes);
    }

    /**
     * The route for {@code method} and {@code path}.
     *
     * @throws ApiException 404 when no route has this path, 405 when none has this method for it
     */
    Match find(String method, String path) {
        String[] parts = path.length() <= 1 ? new String[] {""} : path.substring(1).split("/", -1);
        List<String> allowed = new ArrayList<>();
        for (Route route : routes) {
            Map<String, String> params = match(route.segments(), parts);
            if (params != null) {
                if (route.method().equals(method)) {
                    return new Match(route, params);
                }
                allowed.add(route.method());
            }
        }
        if (!allowed.isEmpty()) {
            throw new ApiException(405, ErrorCodes.METHOD_NOT_ALLOWED, method + " " + path
                    + " (expected: " + String.join(", ", allowed) + ")");
        }
        throw ApiException.notFound(ErrorCodes.NOT_FOUND, path + " (expected: a path of the admin API; see /openapi.yaml)");
    }

    private static Map<String, String> match(String[] template, String[] parts) {
        if (template.length != parts.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String segment = template[i];
            if (segment.startsWith("{") && segment.endsWith("}")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                // a path keeps "+" literal; only %XX is decoded (a launch template name may hold %2F)
                params.put(segment.substring(1, segment.length() - 1),
                        URLDecoder.decode(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8));
            } else if (!segment.equals(parts[i])) {
                return null;
            }
        }
        return params;
    }

    @Override
    public String toString() {
        return Arrays.toString(routes.stream().map(r -> r.method() + " " + r.template()).toArray());
    }
}
