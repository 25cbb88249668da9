package io.fulcrum.admin;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;

/** JSON in and out of the admin API: request bodies (JSON, or YAML, its superset) and response bodies. */
final class Json {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper OUT = new ObjectMapper();
    /** As the config loader reads files: a repeated key is refused rather than silently the last one kept. */
    private static final ObjectMapper IN = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private Json() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }

    static byte[] write(JsonNode node) {
        try {
            return OUT.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // plain trees always write
        }
    }

    /**
     * The request body as a tree.
     *
     * @param expected what the body should be, for the error message
     * @throws ApiException 400 when the body is empty or not JSON/YAML
     */
    static JsonNode parse(String body, String expected) {
        if (body == null || body.isBlank()) {
            throw ApiException.invalid("(body)", "empty (expected: " + expected + ")");
        }
        try {
            JsonNode node = IN.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiException.invalid("(body)", "empty (expected: " + expected + ")");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "(body)" : "line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw ApiException.invalid(where, "not JSON: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + " (expected: " + expected + ")");
        }
    }

    /** The request body, which must be a JSON object. */
    static ObjectNode parseObject(String body, String expected) {
        JsonNode node = parse(body, expected);
        if (!node.isObject()) {
            throw ApiException.invalid("(body)", describe(node) + " (expected: " + expected + ")");
        }
        return (ObjectNode) node;
    }

    static String describe(JsonNode node) {
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.isTextual() ? '"' + node.asText() + '"' : node.toString();
    }
}
