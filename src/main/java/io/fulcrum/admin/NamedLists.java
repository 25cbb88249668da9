package io.fulcrum.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fulcrum.model.FulcrumConfig;
import java.util.function.Supplier;

/** Create and find in a list of the state's tree, with AWS's idempotent create. */
final class NamedLists {
    private NamedLists() {
    }

    /** The key of a body (its name, port or priority) as text, or null when it has none. */
    static String key(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }

    /**
     * Adds {@code body} to {@code array} (at {@code arrayPath} in {@code document}), unless an element
     * with the same key exists: then, as AWS's Create calls, the same definition again is accepted
     * without change and another one is refused.
     *
     * @return the body's path in the document, and whether it was added, in {@code created[0]}
     */
    static String create(ObjectNode document, FulcrumConfig current, ArrayNode array, String arrayPath,
                         String keyField, ObjectNode body, boolean[] created, Supplier<ApiException> duplicate) {
        String key = key(body, keyField);
        int existing = key == null ? -1 : Documents.indexOf(array, keyField, key);
        if (existing < 0) {
            array.add(body);
            created[0] = true;
            return arrayPath + "[" + (array.size() - 1) + "]";
        }
        JsonNode old = array.get(existing);
        array.set(existing, body);
        FulcrumConfig same;
        try {
            same = Documents.bind(document, arrayPath + "[" + existing + "]");
        } finally {
            array.set(existing, old);
        }
        if (!same.equals(current)) {
            throw duplicate.get();
        }
        created[0] = false;
        return null;
    }

    /** The element of {@code array} with this key, or the not-found error. */
    static int find(ArrayNode array, String keyField, String key, Supplier<ApiException> notFound) {
        int index = Documents.indexOf(array, keyField, key);
        if (index < 0) {
            throw notFound.get();
        }
        return index;
    }
}
