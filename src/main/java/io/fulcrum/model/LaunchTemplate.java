package io.fulcrum.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How to start one instance of an auto scaling group (for the local launcher: a command line, its
 * environment and working directory), with the placeholders {@code ${PORT}}, {@code ${INSTANCE_ID}},
 * {@code ${ZONE}} and {@code ${GROUP}} in the command, the environment values and the working
 * directory. {@code $${} writes a literal {@code ${}, so a shell's own {@code ${HOME}} is written
 * {@code $${HOME}}; a {@code $} not followed by {@code {} is taken as it is.
 *
 * @param version the version number of this template (1, 2, …), shown on each instance launched from it
 * @param workingDirectory the directory the instance starts in, or null for Fulcrum's own
 * @param terminationGracePeriod how long an instance may take to stop after SIGTERM before it is killed
 * @param versions the template's other versions, each a whole template of the same name (empty in a
 *     version itself); a group picks one with {@link #resolve}
 * @param defaultVersion the version {@code $Default} names (0: this one's {@code version})
 */
public record LaunchTemplate(String name, int version, List<String> command, Map<String, String> environment,
                             String workingDirectory, Duration terminationGracePeriod, List<LaunchTemplate> versions,
                             int defaultVersion) {
    /** A group's launch template version: the highest. */
    public static final String LATEST = "$Latest";
    /** A group's launch template version: the template's {@code defaultVersion}; AWS's default. */
    public static final String DEFAULT = "$Default";

    /** The first version of a template; a template built without a version is this one. */
    public static final int DEFAULT_VERSION = 1;
    /** 30 s, like the default of a Kubernetes pod; long enough for a backend to finish its requests. */
    public static final Duration DEFAULT_TERMINATION_GRACE_PERIOD = Duration.ofSeconds(30);
    /** The names that may appear as {@code ${NAME}}. */
    public static final List<String> PLACEHOLDERS = List.of("PORT", "INSTANCE_ID", "ZONE", "GROUP");
    /** Set by the launcher in every instance's environment; a template may not set it. */
    public static final String MARKER_VARIABLE = "FULCRUM_INSTANCE_ID";

    /** AWS's launch template names: 3-128 letters, digits and ( ) . / - _. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9().\\/_-]{3,128}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A template with a single version. */
    public LaunchTemplate(String name, int version, List<String> command, Map<String, String> environment,
                          String workingDirectory, Duration terminationGracePeriod) {
        this(name, version, command, environment, workingDirectory, terminationGracePeriod, List.of(), 0);
    }

    public LaunchTemplate {
        versions = Lists.copy(versions);
        command = Lists.copy(command);
        environment = environment == null ? Map.of() : unmodifiableCopy(environment);
        if (version == 0) {
            version = DEFAULT_VERSION;
        }
        if (terminationGracePeriod == null) {
            terminationGracePeriod = DEFAULT_TERMINATION_GRACE_PERIOD;
        }
        if (defaultVersion == 0) {
            defaultVersion = version;
        }
    }

    /** Every version, each without {@link #versions}, in the order written. */
    public List<LaunchTemplate> allVersions() {
        List<LaunchTemplate> all = new ArrayList<>();
        all.add(new LaunchTemplate(name, version, command, environment, workingDirectory, terminationGracePeriod));
        for (LaunchTemplate other : versions) {
            all.add(new LaunchTemplate(name, other.version(), other.command(), other.environment(),
                    other.workingDirectory(), other.terminationGracePeriod()));
        }
        return all;
    }

    /** The highest version number. */
    public int latestVersion() {
        return allVersions().stream().mapToInt(LaunchTemplate::version).max().orElse(version);
    }

    /**
     * The version a group's {@code launchTemplateVersion} names: {@code $Latest}, {@code $Default}
     * (also for null) or a number; empty when there is no such version.
     */
    public java.util.Optional<LaunchTemplate> resolve(String versionSpec) {
        int wanted;
        if (versionSpec == null || versionSpec.equals(DEFAULT)) {
            wanted = defaultVersion;
        } else if (versionSpec.equals(LATEST)) {
            wanted = latestVersion();
        } else {
            try {
                wanted = Integer.parseInt(versionSpec.trim());
            } catch (NumberFormatException e) {
                return java.util.Optional.empty();
            }
        }
        int number = wanted;
        return allVersions().stream().filter(v -> v.version() == number).findFirst();
    }

    /** A template of version 1 with no environment, Fulcrum's working directory and the default grace. */
    public static LaunchTemplate of(String name, List<String> command) {
        return new LaunchTemplate(name, DEFAULT_VERSION, command, Map.of(), null, null);
    }

    /** This template as another version (a new version applies to new launches only). */
    public LaunchTemplate withVersion(int newVersion) {
        return new LaunchTemplate(name, newVersion, command, environment, workingDirectory, terminationGracePeriod);
    }

    /** The command with its placeholders replaced by {@code values} (keys are placeholder names). */
    public List<String> expandCommand(Map<String, String> values) {
        List<String> expanded = new ArrayList<>(command.size());
        for (String part : command) {
            expanded.add(expand(part, values));
        }
        return List.copyOf(expanded);
    }

    /** The environment with the placeholders of its values replaced, in the template's order. */
    public Map<String, String> expandEnvironment(Map<String, String> values) {
        Map<String, String> expanded = new LinkedHashMap<>();
        environment.forEach((key, value) -> expanded.put(key, expand(value, values)));
        return java.util.Collections.unmodifiableMap(expanded);
    }

    /** The working directory with its placeholders replaced, or null when there is none. */
    public String expandWorkingDirectory(Map<String, String> values) {
        return workingDirectory == null ? null : expand(workingDirectory, values);
    }

    /**
     * {@code text} with each {@code ${NAME}} replaced by {@code values.get(NAME)} and each {@code $${}
     * by {@code ${}.
     *
     * @throws IllegalArgumentException naming the placeholder when it is unknown, has no value or is
     *     not closed
     */
    public static String expand(String text, Map<String, String> values) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (c == '$' && text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException(quote(text) + " has an unclosed \"${\" at index " + i
                            + " (expected: ${NAME}, or $${ for a literal ${)");
                }
                String name = text.substring(i + 2, end);
                String value = values.get(name);
                if (!PLACEHOLDERS.contains(name)) {
                    throw new IllegalArgumentException(quote(text) + " has the unknown placeholder ${" + name
                            + "} (expected: one of " + placeholderList() + ", or $${ for a literal ${)");
                }
                if (value == null) {
                    throw new IllegalArgumentException(quote(text) + ": no value for ${" + name + "}");
                }
                out.append(value);
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /**
     * Every problem of {@code template}, each under {@code path} (e.g. {@code launchTemplates[0]});
     * empty when it is valid.
     */
    public static List<ConfigProblem> validate(String path, LaunchTemplate template) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (template == null) {
            problems.add(new ConfigProblem(path, "missing (expected: a launch template)"));
            return problems;
        }
        if (template.name() == null || !NAME.matcher(template.name()).matches()) {
            problems.add(new ConfigProblem(path + ".name", quote(template.name())
                    + " (expected: 3-128 letters, digits or ( ) . / - _)"));
        }
        if (template.version() < 1) {
            problems.add(new ConfigProblem(path + ".version", template.version() + " (expected: 1 or more)"));
        }
        if (template.command().isEmpty()) {
            problems.add(new ConfigProblem(path + ".command", "empty (expected: the program and its arguments)"));
        }
        for (int i = 0; i < template.command().size(); i++) {
            String part = template.command().get(i);
            String partPath = path + ".command[" + i + "]";
            if (part == null || (i == 0 && part.isBlank())) {
                problems.add(new ConfigProblem(partPath, quote(part) + " (expected: " + (i == 0 ? "a program" : "text") + ")"));
            } else {
                placeholders(partPath, part, problems);
            }
        }
        template.environment().forEach((key, value) -> {
            String keyPath = path + ".environment." + key;
            if (key == null || !ENV_NAME.matcher(key).matches()) {
                problems.add(new ConfigProblem(path + ".environment", quote(key)
                        + " (expected: a variable name of letters, digits and _, not starting with a digit)"));
            } else if (key.equals(MARKER_VARIABLE)) {
                problems.add(new ConfigProblem(keyPath, "is set by Fulcrum to the instance id (expected: another name)"));
            }
            if (value == null) {
                problems.add(new ConfigProblem(keyPath, "missing (expected: a value)"));
            } else {
                placeholders(keyPath, value, problems);
            }
        });
        if (template.workingDirectory() != null) {
            if (template.workingDirectory().isBlank()) {
                problems.add(new ConfigProblem(path + ".workingDirectory", "\"\" (expected: a directory)"));
            } else {
                placeholders(path + ".workingDirectory", template.workingDirectory(), problems);
            }
        }
        if (template.terminationGracePeriod().isNegative()) {
            problems.add(new ConfigProblem(path + ".terminationGracePeriod",
                    DurationText.format(template.terminationGracePeriod()) + " (expected: 0s or more)"));
        }
        return problems;
    }

    private static void placeholders(String path, String text, List<ConfigProblem> problems) {
        Map<String, String> sample = new LinkedHashMap<>();
        for (String name : PLACEHOLDERS) {
            sample.put(name, "");
        }
        try {
            expand(text, sample);
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(path, e.getMessage()));
        }
    }

    private static String placeholderList() {
        StringBuilder sb = new StringBuilder();
        for (String name : PLACEHOLDERS) {
            sb.append(sb.length() == 0 ? "" : ", ").append("${").append(name).append('}');
        }
        return sb.toString();
    }

    private static String quote(String text) {
        return text == null ? "missing" : '"' + text + '"';
    }

    private static Map<String, String> unmodifiableCopy(Map<String, String> map) {
        // keeps the user's order (Map.copyOf would not) and tolerates a null value for validate() to report
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
