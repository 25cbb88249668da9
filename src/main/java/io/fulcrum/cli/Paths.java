package io.fulcrum.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** URL path pieces for the admin API. */
final class Paths {
    private Paths() {
    }

    /** A name as one path segment. */
    static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
