package io.fulcrum.model;

/** One thing wrong with a config: where (a field path) and what. */
public record ConfigProblem(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
