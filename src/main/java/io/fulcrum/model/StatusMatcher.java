package io.fulcrum.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP codes a health check accepts, as ALB writes them: {@code 200}, {@code 200-299},
 * {@code 200,302}.
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
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty (expected: a code like 200, a range like 200-299, or a list like 200,302)");
        }
        List<int[]> ranges = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String item = part.trim();
            int dash = item.indexOf('-');
            int low = code(dash < 0 ? item : item.substring(0, dash), text);
            int high = dash < 0 ? low : code(item.substring(dash + 1), text);
            if (high < low) {
                throw new IllegalArgumentException("'" + text + "' has a range that ends before it starts: " + item);
            }
            ranges.add(new int[] {low, high});
        }
        return new StatusMatcher(text, ranges);
    }

    private static int code(String s, String text) {
        try {
            int code = Integer.parseInt(s.trim());
            if (code >= 200 && code <= 599) {
                return code;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a valid matcher: '" + s.trim()
                + "' is not an HTTP code 200-599 (expected: 200, 200-299 or 200,302)");
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
