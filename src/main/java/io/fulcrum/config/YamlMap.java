package io.fulcrum.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One YAML mapping being bound, with its field path. Every key read is remembered, so that
 * {@link #finish()} can report the keys nobody asked for as unknown. Type errors are reported and
 * the default is returned, so binding always walks the whole tree.
 */
final class YamlMap {
    private final JsonNode node;
    private final String path;
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();

    private YamlMap(JsonNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** The node as a mapping, or null (and a problem) when it is something else. */
    static YamlMap of(JsonNode node, String path, Problems problems, String expected) {
        if (!node.isObject()) {
            problems.add(path, describe(node) + " (expected: " + expected + ")");
            return null;
        }
        return new YamlMap(node, path, problems);
    }

    String path() {
        return path;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void problem(String key, String message) {
        problems.add(path(key), message);
    }

    /** The value of a key, or null when it is absent or written as null (both mean "use the default"). */
    JsonNode get(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value;
    }

    boolean has(String key) {
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    /** Marks a key as known without reading it (its absence or presence is handled by the caller). */
    void allow(String key) {
        known.add(key);
    }

    String string(String key, String defaultValue) {
        JsonNode value = get(key);
        return value == null ? defaultValue : text(value, path(key), problems, defaultValue);
    }

    String requiredString(String key, String expected) {
        JsonNode value = get(key);
        if (value == null) {
            problem(key, "missing (expected: " + expected + ")");
            return null;
        }
        return text(value, path(key), problems, null);
    }

    int integer(String key, int defaultValue) {
        JsonNode value = get(key);
        return value == null ? defaultValue : integer(value, path(key), problems, defaultValue);
    }

    int requiredInteger(String key, String expected) {
        JsonNode value = get(key);
        if (value == null) {
            problem(key, "missing (expected: " + expected + ")");
            return 0;
        }
        return integer(value, path(key), problems, 0);
    }

    boolean bool(String key, boolean defaultValue) {
        JsonNode value = get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && (value.textValue().equals("true") || value.textValue().equals("false"))) {
            return Boolean.parseBoolean(value.textValue());
        }
        problem(key, describe(value) + " (expected: true or false)");
        return defaultValue;
    }

    Duration duration(String key, Duration defaultValue) {
        JsonNode value = get(key);
        if (value == null) {
            return defaultValue;
        }
        Duration duration = value.isTextual() ? Durations.parse(value.textValue().trim())
                : value.isIntegralNumber() && value.longValue() == 0 ? Duration.ZERO : null;
        if (duration == null) {
            problem(key, describe(value) + " (expected: " + Durations.EXPECTED + ")");
            return defaultValue;
        }
        return duration;
    }

    /**
     * An enum-like value written by its config name.
     *
     * @param lookup the value for a name, or null
     */
    <E> E choice(String key, E defaultValue, Function<String, E> lookup, List<String> names) {
        JsonNode value = get(key);
        if (value == null) {
            return defaultValue;
        }
        E choice = value.isTextual() ? lookup.apply(value.textValue()) : null;
        if (choice == null) {
            String closest = value.isTextual() ? DidYouMean.closest(value.textValue(), names) : null;
            problem(key, describe(value) + (closest != null ? " (did you mean '" + closest + "'?)"
                    : " (expected: " + String.join(", ", names) + ")"));
            return defaultValue;
        }
        return choice;
    }

    /** A nested mapping, or null when it is absent or not a mapping (then reported). */
    YamlMap map(String key, String expected) {
        JsonNode value = get(key);
        return value == null ? null : of(value, path(key), problems, expected);
    }

    /** Binds each element of a list; an element bound to null (reported by its binder) is left out. */
    <T> List<T> list(String key, ElementBinder<T> binder) {
        JsonNode value = get(key);
        List<T> result = new ArrayList<>();
        if (value == null) {
            return result;
        }
        if (!value.isArray()) {
            problem(key, describe(value) + " (expected: a list)");
            return result;
        }
        for (int i = 0; i < value.size(); i++) {
            String elementPath = path(key) + "[" + i + "]";
            JsonNode element = value.get(i);
            T bound = element.isNull() ? null : binder.bind(element, elementPath, problems);
            if (element.isNull()) {
                problems.add(elementPath, "null (expected: a value)");
            }
            if (bound != null) {
                result.add(bound);
            }
        }
        return result;
    }

    /** A list of scalars, as text. */
    List<String> strings(String key) {
        return list(key, (element, elementPath, sink) -> text(element, elementPath, sink, null));
    }

    /** Reports a key that names a feature a later version will have, rather than calling it unknown. */
    void notSupportedYet(String key, String why) {
        known.add(key);
        if (node.has(key)) {
            problem(key, "not supported yet (" + why + ")");
        }
    }

    /** Reports every key that was never read as unknown, with the closest known key when one is near. */
    void finish() {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                problem(name, "unknown key" + DidYouMean.hint(name, known));
            }
        }
    }

    /** Binds one list element; returns null after reporting a problem. */
    @FunctionalInterface
    interface ElementBinder<T> {
        T bind(JsonNode node, String path, Problems problems);
    }

    /** A scalar as text. Booleans are refused: YAML reads unquoted on/off/yes/no as booleans, losing the text. */
    static String text(JsonNode value, String path, Problems problems, String defaultValue) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isNumber()) {
            return value.asText();
        }
        problems.add(path, describe(value) + (value.isBoolean()
                ? " (expected: a string; YAML reads unquoted on, off, yes, no, true and false as booleans, so quote it)"
                : " (expected: a string)"));
        return defaultValue;
    }

    static int integer(JsonNode value, String path, Problems problems, int defaultValue) {
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        if (value.isTextual() && value.textValue().matches("-?\\d{1,9}")) {
            return Integer.parseInt(value.textValue());
        }
        problems.add(path, describe(value) + " (expected: a whole number)");
        return defaultValue;
    }

    /** How a value is shown in a message: strings quoted, numbers as written, containers by kind. */
    static String describe(JsonNode value) {
        if (value.isTextual()) {
            return '"' + value.textValue() + '"';
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isObject()) {
            return "an object";
        }
        if (value.isNull()) {
            return "null";
        }
        return value.asText();
    }
}
