package io.fulcrum.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fulcrum.config.ConfigLoader;
import io.fulcrum.model.ConfigProblem;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * Edits of the desired state made on its config-file tree, so that a request body is bound and
 * validated exactly as the same text in a config file would be.
 */
final class Documents {
    private Documents() {
    }

    /** The index of the element of {@code array} whose {@code key} field reads {@code value}, or -1. */
    static int indexOf(ArrayNode array, String key, String value) {
        for (int i = 0; i < array.size(); i++) {
            JsonNode field = array.get(i).get(key);
            if (field != null && field.asText().equals(value)) {
                return i;
            }
        }
        return -1;
    }

    static ArrayNode array(ObjectNode parent, String field) {
        JsonNode node = parent.get(field);
        return node instanceof ArrayNode array ? array : parent.putArray(field);
    }

    /**
     * Makes {@code body} name the resource of the URL: a body without the key gets it; one naming
     * another is refused (renaming is delete and create, as in AWS).
     */
    static void requireKey(ObjectNode body, String key, String value, boolean numeric) {
        JsonNode given = body.get(key);
        if (given != null && !given.isNull() && !given.asText().equals(value)) {
            throw ApiException.invalid(key, Json.describe(given) + " (expected: " + value
                    + ", as in the URL; to rename, create the new one and delete the old)");
        }
        if (numeric) {
            body.put(key, Integer.parseInt(value));
        } else {
            body.put(key, value);
        }
    }

    /** Keeps the current value of {@code field} when a replacing body leaves it out (a child collection). */
    static void keep(ObjectNode body, ObjectNode current, String field) {
        if (!body.has(field) && current.has(field)) {
            body.set(field, current.get(field));
        }
    }

    /**
     * Binds and validates a whole edited document.
     *
     * @param bodyPath where the request's body sits in the document (e.g. {@code targetGroups[2]}),
     *     "" when the body is the whole document, null when there is no body; problems inside the body
     *     are reported relative to it, others with their path in the document
     * @throws ApiException 400 ValidationError with every problem
     */
    static FulcrumConfig bind(ObjectNode document, String bodyPath) {
        try {
            return ConfigLoader.parse(document.toString());
        } catch (InvalidConfigException e) {
            throw ApiException.invalid(relative(e.problems(), bodyPath));
        }
    }

    static List<ConfigProblem> relative(List<ConfigProblem> problems, String bodyPath) {
        if (bodyPath == null || bodyPath.isEmpty()) {
            return problems;
        }
        List<ConfigProblem> out = new ArrayList<>();
        for (ConfigProblem problem : problems) {
            String path = problem.path();
            if (path.equals(bodyPath)) {
                path = "(body)";
            } else if (path.startsWith(bodyPath + ".")) {
                path = path.substring(bodyPath.length() + 1);
            } else if (path.startsWith(bodyPath + "[")) {
                path = path.substring(bodyPath.length());
            }
            out.add(new ConfigProblem(path, problem.message()));
        }
        return out;
    }
}
