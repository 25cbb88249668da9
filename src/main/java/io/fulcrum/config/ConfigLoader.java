package io.fulcrum.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fulcrum.model.ConfigProblem;
import io.fulcrum.model.ConfigValidator;
import io.fulcrum.model.FulcrumConfig;
import io.fulcrum.model.InvalidConfigException;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a Fulcrum YAML config into validated records, or rejects it whole with every problem found. */
public final class ConfigLoader {
    /** A repeated key is refused: YAML would silently keep only the last one. */
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");

    private ConfigLoader() {
    }

    /**
     * Reads and validates a config file (UTF-8).
     *
     * @throws InvalidConfigException with every problem, when the file is not a valid config
     * @throws IOException when the file cannot be read
     */
    public static FulcrumConfig load(Path file) throws InvalidConfigException, IOException {
        return parse(Files.readString(file));
    }

    /**
     * Parses, binds and validates a config.
     *
     * @throws InvalidConfigException with every problem (or the one YAML syntax error, with its line and column)
     */
    public static FulcrumConfig parse(String yaml) throws InvalidConfigException {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new InvalidConfigException(List.of(syntaxProblem(e)));
        }
        Problems problems = new Problems();
        FulcrumConfig config = ConfigBinder.bind(root, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems.list());
        }
        // semantic rules run on well-formed records only, so a shape error is not echoed as a range error
        List<ConfigProblem> invalid = ConfigValidator.validate(config);
        if (!invalid.isEmpty()) {
            throw new InvalidConfigException(invalid);
        }
        return config;
    }

    private static ConfigProblem syntaxProblem(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = location == null ? "(yaml)" : "line " + location.getLineNr() + ", column " + location.getColumnNr();
        String message = e.getOriginalMessage();
        Matcher duplicate = DUPLICATE.matcher(message);
        if (duplicate.find()) {
            message = "duplicate key '" + duplicate.group(1) + "' (expected: each key once per mapping)";
        } else if (e.getCause() instanceof MarkedYAMLException marked) {
            // SnakeYAML's own message repeats the source lines; keep the problem and what it was parsing
            message = "YAML syntax error: " + marked.getProblem()
                    + (marked.getContext() != null && marked.getContextMark() != null
                    ? " (" + marked.getContext() + " started at line " + (marked.getContextMark().getLine() + 1)
                    + ", column " + (marked.getContextMark().getColumn() + 1) + ")" : "");
        } else {
            message = "YAML syntax error: " + message.lines().findFirst().orElse(message);
        }
        return new ConfigProblem(where, message);
    }
}
