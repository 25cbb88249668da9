package io.fulcrum.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fulcrum.config.ConfigWriter;

/** {@code -o table|yaml|json}. */
enum OutputFormat {
    table, yaml, json;

    /** A tree as YAML or JSON text (not for {@link #table}), written as the config writer writes. */
    String write(JsonNode tree) {
        return this == json ? ConfigWriter.json(tree) + System.lineSeparator() : ConfigWriter.yaml(tree);
    }
}
