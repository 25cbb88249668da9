package io.fulcrum.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads values out of Prometheus text: the sample of a name whose labels include the ones asked for. */
final class Scrape {
    private final String text;

    Scrape(String text) {
        this.text = text;
    }

    /** The value of the one sample of {@code name} with these labels (pairs: name, value), or NaN when none. */
    double value(String name, String... labels) {
        Double found = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            Map<String, String> parsed = labels(line);
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                all &= labels[i + 1].equals(parsed.get(labels[i]));
            }
            if (all) {
                if (found != null) {
                    throw new AssertionError("more than one sample of " + name + " with " + String.join(",", labels));
                }
                found = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return found == null ? Double.NaN : found;
    }

    /** Samples of {@code name} with a label that has this value. */
    long count(String name, String label, String labelValue) {
        return text.lines().filter(line -> line.startsWith(name + "{"))
                .filter(line -> labelValue.equals(labels(line).get(label))).count();
    }

    private static Map<String, String> labels(String line) {
        Map<String, String> result = new LinkedHashMap<>();
        int open = line.indexOf('{');
        int close = line.lastIndexOf('}');
        if (open < 0 || close < open) {
            return result;
        }
        for (String pair : line.substring(open + 1, close).split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                result.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
            }
        }
        return result;
    }

    @Override
    public String toString() {
        return text;
    }
}
