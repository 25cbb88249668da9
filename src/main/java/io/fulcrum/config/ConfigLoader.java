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
import io.fulcrum.model.LaunchTemplate;
import io.fulcrum.model.Listener;
import io.fulcrum.model.ListenerCertificate;
import io.fulcrum.model.LoadBalancer;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
        Path directory = file.toAbsolutePath().normalize().getParent();
        return parse(Files.readString(file), directory);
    }

    /**
     * Parses, binds and validates a config.
     *
     * @throws InvalidConfigException with every problem (or the one YAML syntax error, with its line and column)
     */
    public static FulcrumConfig parse(String yaml) throws InvalidConfigException {
        return parse(yaml, null);
    }

    /**
     * Parses, binds and validates a config whose relative launch template working directories are
     * relative to {@code baseDirectory} (the config file's directory), or to Fulcrum's own when null.
     *
     * @throws InvalidConfigException with every problem (or the one YAML syntax error, with its line and column)
     */
    public static FulcrumConfig parse(String yaml, Path baseDirectory) throws InvalidConfigException {
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
        if (baseDirectory != null) {
            config = resolveWorkingDirectories(config, baseDirectory);
            config = resolveCertificateFiles(config, baseDirectory);
        }
        // semantic rules run on well-formed records only, so a shape error is not echoed as a range error
        List<ConfigProblem> invalid = new java.util.ArrayList<>(ConfigValidator.validate(config));
        invalid.addAll(TlsChecks.problems(config, Clock.systemUTC()));
        if (!invalid.isEmpty()) {
            throw new InvalidConfigException(invalid);
        }
        return config;
    }

    /** A config file's relative paths mean the same wherever Fulcrum was started from. */
    private static FulcrumConfig resolveWorkingDirectories(FulcrumConfig config, Path baseDirectory) {
        List<LaunchTemplate> templates = new java.util.ArrayList<>();
        for (LaunchTemplate t : config.launchTemplates()) {
            List<LaunchTemplate> versions = new java.util.ArrayList<>();
            for (LaunchTemplate v : t.versions()) {
                versions.add(new LaunchTemplate(v.name(), v.version(), v.command(), v.environment(),
                        resolveDirectory(v.workingDirectory(), baseDirectory), v.terminationGracePeriod()));
            }
            templates.add(new LaunchTemplate(t.name(), t.version(), t.command(), t.environment(),
                    resolveDirectory(t.workingDirectory(), baseDirectory), t.terminationGracePeriod(), versions,
                    t.defaultVersion()));
        }
        return new FulcrumConfig(config.loadBalancers(), config.targetGroups(), templates, config.autoScalingGroups());
    }

    /** Certificate files named relative to the config file, as launch template directories are. */
    private static FulcrumConfig resolveCertificateFiles(FulcrumConfig config, Path baseDirectory) {
        List<LoadBalancer> loadBalancers = new java.util.ArrayList<>();
        for (LoadBalancer lb : config.loadBalancers()) {
            List<Listener> listeners = new java.util.ArrayList<>();
            for (Listener l : lb.listeners()) {
                List<ListenerCertificate> certificates = new java.util.ArrayList<>();
                for (ListenerCertificate c : l.certificates()) {
                    certificates.add(new ListenerCertificate(resolve(baseDirectory, c.certificateFile()),
                            resolve(baseDirectory, c.keyFile())));
                }
                listeners.add(new Listener(l.protocol(), l.port(), l.bindAddress(), l.rules(), l.defaultActions(),
                        l.maxConnections(), l.idleTimeout(), l.sslPolicy(), certificates));
            }
            loadBalancers.add(new LoadBalancer(lb.name(), lb.attributes(), listeners));
        }
        return new FulcrumConfig(loadBalancers, config.targetGroups(), config.launchTemplates(),
                config.autoScalingGroups());
    }

    private static String resolve(Path baseDirectory, String file) {
        return file == null || Path.of(file).isAbsolute() ? file : baseDirectory.resolve(file).normalize().toString();
    }

    private static String resolveDirectory(String directory, Path baseDirectory) {
        if (directory != null && !directory.isBlank() && !directory.startsWith("${") && !Path.of(directory).isAbsolute()) {
            return baseDirectory.resolve(directory).normalize().toString();
        }
        return directory;
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
            String hint = marked.getProblem().contains("<block end>") ? "; check the indentation" : "";
            message = "YAML syntax error: " + marked.getProblem() + hint
                    + (marked.getContext() != null && marked.getContextMark() != null
                    ? " (" + marked.getContext() + " started at line " + (marked.getContextMark().getLine() + 1)
                    + ", column " + (marked.getContextMark().getColumn() + 1) + ")" : "");
        } else {
            message = "YAML syntax error: " + message.lines().findFirst().orElse(message);
        }
        return new ConfigProblem(where, message);
    }
}
