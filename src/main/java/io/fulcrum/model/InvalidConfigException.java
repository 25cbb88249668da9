package io.fulcrum.model;

import java.util.List;

/** A config was rejected; carries every problem found, each with its field path. */
public final class InvalidConfigException extends Exception {
    private final transient List<ConfigProblem> problems;

    public InvalidConfigException(List<ConfigProblem> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String format(List<ConfigProblem> problems) {
        StringBuilder sb = new StringBuilder("invalid config (" + problems.size()
                + (problems.size() == 1 ? " problem" : " problems") + "):");
        for (ConfigProblem problem : problems) {
            sb.append("\n  ").append(problem);
        }
        return sb.toString();
    }
}
