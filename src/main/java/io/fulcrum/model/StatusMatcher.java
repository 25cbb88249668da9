package io.fulcrum.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP codes a health check accepts, as ALB writes them: {@code 200}, {@code 200-299},
 * {@code 200,302}; for a GRPC group's check, gRPC status codes written the same way.
 */
public record StatusMatcher(String text, List<int[]> ranges) {
    public static final StatusMatcher DEFAULT = parse("200");

    public StatusMatcher {
        ranges = List.copyOf(ranges);
    }

    /** True when this status code is accepted. */
    public boolean matches(int status) {
        for (int[] range : ranges) {
            if (status >= range[0] && status <= range[1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses a matcher.
     *
     * @throws IllegalArgumentException naming what is wrong, when a part is not a code 200-599 or a range
     */
    public static StatusMatcher parse(String text) {
        return parse(text, 200, 599, "an HTTP code 200-599 (expected: 200, 200-299 or 200,302)");
    }

    /** The gRPC matcher's default, as ALB's: 12 (UNIMPLEMENTED, the answer to a method the target does not have). */
    public static final StatusMatcher GRPC_DEFAULT = parseGrpc("12");

    /**
     * Parses a matcher of gRPC status codes (a GRPC group's health check): {@code 0}, {@code 0-99}, {@code 0,12}.
     *
     * @throws IllegalArgumentException naming what is wrong, when a part is not a code 0-99 or a range
     */
    public static StatusMatcher parseGrpc(String text) {
        return parse(text, 0, 99, "a gRPC code 0-99 (expected: 12, 0-99 or 0,12)");
    }

    private static StatusMatcher parse(String text, int min, int max, String expected) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty (expected: a code like " + (min == 0 ? "12" : "200")
                    + ", a range, or a list of codes and ranges)");
        }
        List<int[]> ranges = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String item = part.trim();
            int dash = item.indexOf('-');
            int low = code(dash < 0 ? item : item.substring(0, dash), text, min, max, expected);
            int high = dash < 0 ? low : code(item.substring(dash + 1), text, min, max, expected);
            if (high < low) {
                throw new IllegalArgumentException("'" + text + "' has a range that ends before it starts: " + item);
            }
            ranges.add(new int[] {low, high});
        }
        return new StatusMatcher(text, ranges);
    }

    private static int code(String s, String text, int min, int max, String expected) {
        try {
            int code = Integer.parseInt(s.trim());
            if (code >= min && code <= max) {
                return code;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a valid matcher: '" + s.trim() + "' is not " + expected);
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StatusMatcher other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
