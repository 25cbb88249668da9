package io.fulcrum.routing;

import io.fulcrum.model.Protocol;
import io.fulcrum.model.RedirectAction;

import java.util.Locale;

/**
 * Builds the {@code Location} of a redirect action, filling ALB's placeholders from the request.
 *
 * <p>Every part of the action (protocol, host, port, path, query) may use any of
 * {@code #{protocol}} (the listener's protocol, lower-case: {@code http}), {@code #{host}} (the request's
 * host without port), {@code #{port}} (the listener's port), {@code #{path}} (the request's path without its
 * leading {@code /}) and {@code #{query}} (the raw query without {@code ?}, or empty). Unknown placeholders
 * are left as written. The URL is {@code protocol://host[:port]path[?query]}: the protocol is lower-cased,
 * the port is left out when it is the protocol's default (80 for http, 443 for https), a path that does not
 * start with {@code /} gets one, and {@code ?} is added only when the query is not empty.
 */
public final class RedirectLocation {
    private RedirectLocation() {
    }

    /**
     * The Location URL, or null when the request has no host to redirect to (an HTTP/1.0 request without
     * a Host header, with a {@code #{host}} target): the caller answers with an error then.
     *
     * @param listenerProtocol the protocol the request came in on (HTTP or HTTPS)
     * @param host the request's host as {@link RequestView#host()} gives it; may be null
     * @param listenerPort the port the request came in on
     * @param path the request's normalised path, starting with '/'
     * @param rawQuery the request's query without '?', or null
     */
    public static String build(RedirectAction action, Protocol listenerProtocol, String host, int listenerPort,
                               String path, String rawQuery) {
        String protocolName = listenerProtocol.name().toLowerCase(Locale.ROOT);
        String pathWithoutSlash = path == null ? "" : path.startsWith("/") ? path.substring(1) : path;
        String query = rawQuery == null ? "" : rawQuery;
        String port = Integer.toString(listenerPort);
        String[] values = {protocolName, host, port, pathWithoutSlash, query};

        String outProtocol = fill(action.protocol(), values);
        String outHost = fill(action.host(), values);
        String outPort = fill(action.port(), values);
        String outPath = fill(action.path(), values);
        String outQuery = fill(action.query(), values);
        if (outProtocol == null || outHost == null || outPort == null || outPath == null || outQuery == null
                || outHost.isEmpty()) {
            return null;
        }
        outProtocol = outProtocol.toLowerCase(Locale.ROOT);
        StringBuilder url = new StringBuilder(outProtocol.length() + outHost.length() + outPath.length()
                + outQuery.length() + 16);
        url.append(outProtocol).append("://").append(outHost);
        if (!outPort.isEmpty() && !isDefaultPort(outProtocol, outPort)) {
            url.append(':').append(outPort);
        }
        if (!outPath.startsWith("/")) {
            url.append('/');
        }
        url.append(outPath);
        if (!outQuery.isEmpty()) {
            url.append('?').append(outQuery);
        }
        return url.toString();
    }

    /** As {@link #build(RedirectAction, Protocol, String, int, String, String)} with the request's parts. */
    public static String build(RedirectAction action, Protocol listenerProtocol, int listenerPort, RequestView request) {
        return build(action, listenerProtocol, request.host(), listenerPort, request.path(), request.rawQuery());
    }

    private static boolean isDefaultPort(String protocol, String port) {
        return ("http".equals(protocol) && "80".equals(port)) || ("https".equals(protocol) && "443".equals(port));
    }

    private static final String[] NAMES = {"#{protocol}", "#{host}", "#{port}", "#{path}", "#{query}"};

    /** The template with placeholders replaced; null when it needs a value that is null (no host). */
    private static String fill(String template, String[] values) {
        if (template.indexOf("#{") < 0) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 32);
        int i = 0;
        outer:
        while (i < template.length()) {
            if (template.startsWith("#{", i)) {
                for (int n = 0; n < NAMES.length; n++) {
                    if (template.startsWith(NAMES[n], i)) {
                        if (values[n] == null) {
                            return null;
                        }
                        out.append(values[n]);
                        i += NAMES[n].length();
                        continue outer;
                    }
                }
            }
            out.append(template.charAt(i++));
        }
        return out.toString();
    }
}
