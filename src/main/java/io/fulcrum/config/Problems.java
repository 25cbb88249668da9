package io.fulcrum.config;

import io.fulcrum.model.ConfigProblem;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems found while binding, so that all of them are reported at once. */
final class Problems {
    private final List<ConfigProblem> list = new ArrayList<>();

    void add(String path, String message) {
        list.add(new ConfigProblem(path, message));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    List<ConfigProblem> list() {
        return list;
    }
}
